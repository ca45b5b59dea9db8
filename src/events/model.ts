// The typed, sorted timeline that every output is built from. Defaults of DESIGN.md section 2 are
// applied here, so views never have to know them.
import { compareEventDates, type EventDate, parseEventDate } from './dates.js';
import type { Certainty, Entity, EventsFileInput, ImageInput, Locale, SourceInput, Status } from './schema.js';
import { copyEvent } from './stored-event.js';

export interface Source {
  url?: string;
  title?: string;
  publisher?: string;
  date?: EventDate;
}

export interface EventImage {
  /** As written in the file: a path relative to the events file, or an https address. */
  src: string;
  alt: string;
  credit?: string;
  link?: string;
  /** Where the page finds it: the https address, or `media/<hash>.<ext>` once the local file was
   * resolved (io/event-images.ts); absent for a local file that was not resolved (library use). */
  url?: string;
  width?: number;
  height?: number;
  /** `jpeg`, `png`, `webp` or `gif` (local files: from the bytes). */
  type?: string;
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
  image?: EventImage;
  /** Position in the file (0-based): the last tie-breaker of the sort order. */
  index: number;
}

export interface NewsletterSettings {
  name?: string;
  from?: string;
  replyTo?: string;
  unsubscribeUrl?: string;
  /** As written in the file: relative to the events file. */
  suppressions?: string;
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
  /** Local pictures of events, by their path in the site (`media/<hash>.<ext>`): io/event-images.ts. */
  media?: Map<string, Buffer>;
  /** Sorted: lower bound, coarser precision first, file order; undated events last. */
  events: TimelineEvent[];
}

/** Events built by an earlier load from the very same item text (events/item-cache.ts): an event is a
 * function of its item alone, but for its place in the file (`index`). */
export interface BuiltEvents {
  get(index: number): TimelineEvent | undefined;
  set(index: number, event: TimelineEvent): void;
}

/** Builds the timeline from a value the validator accepted (so every date parses). */
export function buildTimeline(file: EventsFileInput, now: string, built?: BuiltEvents): Timeline {
  // Plain assignments rather than object spreads: this runs once per event of files of 100,000 events.
  const events = file.events.map((input, index): TimelineEvent => {
    const known = built?.get(index);
    if (known) {
      if (known.index === index) return known;
      // Moved in the file: a copy, since the last timeline still holds the event at its old place.
      const moved = copyEvent(known, index);
      built?.set(index, moved);
      return moved;
    }
    const event: TimelineEvent = {
      id: input.id,
      title: input.title,
      status: input.status ?? 'happened',
      certainty: input.certainty ?? 'reported',
      actors: input.actors ?? [],
      tags: input.tags ?? [],
      importance: (input.importance ?? 2) as 1 | 2 | 3,
      sources: input.sources ? input.sources.map(toSource) : [],
      related: input.related ?? [],
      index,
    };
    if (input.date !== undefined) event.date = mustParse(input.date);
    if (input.display_date !== undefined) event.displayDate = input.display_date;
    if (input.summary !== undefined) event.summary = input.summary;
    if (input.claimed_by !== undefined) event.claimedBy = input.claimed_by;
    if (input.added !== undefined) event.added = input.added;
    if (input.image !== undefined) event.image = toImage(input.image);
    built?.set(index, event);
    return event;
  });
  events.sort(compareEvents);
  const newsletter: NewsletterSettings = {};
  if (file.newsletter?.name !== undefined) newsletter.name = file.newsletter.name;
  if (file.newsletter?.from !== undefined) newsletter.from = file.newsletter.from;
  if (file.newsletter?.unsubscribe_url !== undefined) newsletter.unsubscribeUrl = file.newsletter.unsubscribe_url;
  if (file.newsletter?.reply_to !== undefined) newsletter.replyTo = file.newsletter.reply_to;
  if (file.newsletter?.suppressions !== undefined) newsletter.suppressions = file.newsletter.suppressions;
  const timeline: Timeline = {
    title: file.title,
    locale: file.locale ?? 'en',
    now,
    newsletter,
    entities: file.entities ?? {},
    tags: file.tags ?? {},
    events,
  };
  if (file.description !== undefined) timeline.description = file.description;
  if (file.as_of !== undefined) timeline.asOf = file.as_of;
  if (file.base_url !== undefined) timeline.baseUrl = file.base_url;
  return timeline;
}

export function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  if (a.date && b.date) return compareEventDates(a.date, b.date) || a.index - b.index;
  if (a.date) return -1;
  if (b.date) return 1;
  return a.index - b.index;
}

function toImage(input: ImageInput): EventImage {
  const image: EventImage = { src: input.src, alt: input.alt };
  if (input.credit !== undefined) image.credit = input.credit;
  if (input.link !== undefined) image.link = input.link;
  if (/^https:\/\//i.test(input.src)) image.url = input.src;
  return image;
}

function toSource(input: SourceInput): Source {
  const source: Source = {};
  if (input.url !== undefined) source.url = input.url;
  if (input.title !== undefined) source.title = input.title;
  if (input.publisher !== undefined) source.publisher = input.publisher;
  if (input.date !== undefined) source.date = mustParse(input.date);
  return source;
}

function mustParse(value: string | number): EventDate {
  const parsed = parseEventDate(value);
  if (!parsed.ok) throw new Error(`internal: a validated date did not parse: ${String(value)}`);
  return parsed.date;
}
