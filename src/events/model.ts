// The typed, sorted timeline that every output is built from. Defaults of DESIGN.md section 2 are
// applied here, so views never have to know them.
import { compareEventDates, type EventDate, parseEventDate } from './dates.js';
import type { Certainty, Entity, EventsFileInput, Locale, SourceInput, Status } from './schema.js';

export interface Source {
  url?: string;
  title?: string;
  publisher?: string;
  date?: EventDate;
}

export interface TimelineEvent {
  id: string;
  date?: EventDate;
  displayDate?: string;
  title: string;
  summary?: string;
  status: Status;
  certainty: Certainty;
  claimedBy?: string;
  actors: string[];
  tags: string[];
  importance: 1 | 2 | 3;
  sources: Source[];
  related: string[];
  added?: string;
  /** Position in the file (0-based): the last tie-breaker of the sort order. */
  index: number;
}

export interface NewsletterSettings {
  name?: string;
  from?: string;
  unsubscribeUrl?: string;
}

export interface Timeline {
  title: string;
  description?: string;
  locale: Locale;
  asOf?: string;
  /** The one "now" of DESIGN.md: --now, else as_of, else today (`YYYY-MM-DD`). */
  now: string;
  baseUrl?: string;
  newsletter: NewsletterSettings;
  entities: Record<string, Entity>;
  tags: Record<string, string>;
  /** Sorted: lower bound, coarser precision first, file order; undated events last. */
  events: TimelineEvent[];
}

/** Builds the timeline from a value the validator accepted (so every date parses). */
export function buildTimeline(file: EventsFileInput, now: string): Timeline {
  const events = file.events.map((event, index): TimelineEvent => {
    const date = event.date === undefined ? undefined : mustParse(event.date);
    return {
      id: event.id,
      ...(date ? { date } : {}),
      ...(event.display_date !== undefined ? { displayDate: event.display_date } : {}),
      title: event.title,
      ...(event.summary !== undefined ? { summary: event.summary } : {}),
      status: event.status ?? 'happened',
      certainty: event.certainty ?? 'reported',
      ...(event.claimed_by !== undefined ? { claimedBy: event.claimed_by } : {}),
      actors: event.actors ?? [],
      tags: event.tags ?? [],
      importance: (event.importance ?? 2) as 1 | 2 | 3,
      sources: (event.sources ?? []).map(toSource),
      related: event.related ?? [],
      ...(event.added !== undefined ? { added: event.added } : {}),
      index,
    };
  });
  events.sort(compareEvents);
  return {
    title: file.title,
    ...(file.description !== undefined ? { description: file.description } : {}),
    locale: file.locale ?? 'en',
    ...(file.as_of !== undefined ? { asOf: file.as_of } : {}),
    now,
    ...(file.base_url !== undefined ? { baseUrl: file.base_url } : {}),
    newsletter: {
      ...(file.newsletter?.name !== undefined ? { name: file.newsletter.name } : {}),
      ...(file.newsletter?.from !== undefined ? { from: file.newsletter.from } : {}),
      ...(file.newsletter?.unsubscribe_url !== undefined ? { unsubscribeUrl: file.newsletter.unsubscribe_url } : {}),
    },
    entities: file.entities ?? {},
    tags: file.tags ?? {},
    events,
  };
}

export function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  if (a.date && b.date) return compareEventDates(a.date, b.date) || a.index - b.index;
  if (a.date) return -1;
  if (b.date) return 1;
  return a.index - b.index;
}

function toSource(source: SourceInput): Source {
  return {
    ...(source.url !== undefined ? { url: source.url } : {}),
    ...(source.title !== undefined ? { title: source.title } : {}),
    ...(source.publisher !== undefined ? { publisher: source.publisher } : {}),
    ...(source.date !== undefined ? { date: mustParse(source.date) } : {}),
  };
}

function mustParse(value: string | number): EventDate {
  const parsed = parseEventDate(value);
  if (!parsed.ok) throw new Error(`internal: a validated date did not parse: ${String(value)}`);
  return parsed.date;
}
