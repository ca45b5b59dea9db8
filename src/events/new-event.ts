// New events for `chronicle add`: from flags or JSON to an event of the file, its default id, and the
// checks a new event needs beyond the schema (is it already there?). Pure.
import { parseEventDate } from './dates.js';
import type { TimelineEvent } from './model.js';
import { type EventInput, FORWARD_STATUSES } from './schema.js';

/** The flags of `chronicle add`, as commander gives them. */
export interface EventFlags {
  id?: string;
  date?: string;
  title?: string;
  summary?: string;
  status?: string;
  certainty?: string;
  claimedBy?: string;
  actor?: string[];
  tag?: string[];
  importance?: string;
  source?: string[];
  sourcePublisher?: string;
  displayDate?: string;
  related?: string[];
  /** A picture (relative to the events file, or https) and its text alternative: they go together. */
  image?: string;
  imageAlt?: string;
}

/** The `chronicle add` option that sets each field (the CLI names it as a flag: `actors` is `--actor`). */
export const FLAG_OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  id: 'id',
  date: 'date',
  display_date: 'displayDate',
  title: 'title',
  summary: 'summary',
  status: 'status',
  certainty: 'certainty',
  claimed_by: 'claimedBy',
  actors: 'actor',
  tags: 'tag',
  importance: 'importance',
  sources: 'source',
  related: 'related',
  image: 'image',
};

/** An event object from flags; only what was given (the schema judges the values). */
export function eventFromFlags(flags: EventFlags): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  if (flags.id !== undefined) event.id = flags.id;
  if (flags.date !== undefined) event.date = flags.date;
  if (flags.displayDate !== undefined) event.display_date = flags.displayDate;
  if (flags.title !== undefined) event.title = flags.title;
  if (flags.summary !== undefined) event.summary = flags.summary;
  if (flags.status !== undefined) event.status = flags.status;
  if (flags.certainty !== undefined) event.certainty = flags.certainty;
  if (flags.claimedBy !== undefined) event.claimed_by = flags.claimedBy;
  if (flags.actor?.length) event.actors = flags.actor;
  if (flags.tag?.length) event.tags = flags.tag;
  if (flags.importance !== undefined) event.importance = /^\d+$/.test(flags.importance) ? Number(flags.importance) : flags.importance;
  const sources: Record<string, string>[] = (flags.source ?? []).map((url) => ({ url }));
  if (flags.sourcePublisher !== undefined) {
    if (sources.length === 0) sources.push({});
    for (const source of sources) source.publisher = flags.sourcePublisher;
  }
  if (sources.length > 0) event.sources = sources;
  if (flags.related?.length) event.related = flags.related;
  if (flags.image !== undefined) event.image = { src: flags.image, alt: flags.imageAlt ?? '' };
  return event;
}

/** The fields a user must give: a title, and a date unless the event lies ahead. */
export function missingFields(event: Record<string, unknown>): string[] {
  const missing: string[] = [];
  if (event.title === undefined) missing.push('title');
  const status = typeof event.status === 'string' ? event.status : 'happened';
  if (event.date === undefined && !FORWARD_STATUSES.has(status)) missing.push('date');
  return missing;
}

/** Fills `id` (a slug of the date and the title) and `added` (now) when they are not given. */
export function withDefaults(event: Record<string, unknown>, now: string): Record<string, unknown> {
  const out = { ...event };
  if (out.id === undefined && typeof out.title === 'string') {
    out.id = slugify([out.date === undefined ? '' : String(out.date), out.title].filter(Boolean).join(' '));
  }
  if (out.added === undefined) out.added = now;
  return out;
}

/** `2025-01-27 Nvidia shares fall` -> `2025-01-27-nvidia-shares-fall`: a stable id, stored in the file. */
export function slugify(text: string, maxLength = 80): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= maxLength) return slug || 'event';
  const cut = slug.slice(0, maxLength);
  return cut.slice(0, cut.lastIndexOf('-') > 20 ? cut.lastIndexOf('-') : maxLength).replace(/-+$/, '');
}

/** A title compared the way people see it: case, spacing, punctuation and accents do not count. */
export function titleKey(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The existing event that the new one repeats: the same date and the same title (a repeated id is
 * already an error of the validator). */
export function findDuplicate(event: EventInput, existing: readonly TimelineEvent[]): TimelineEvent | undefined {
  const date = event.date === undefined ? undefined : parseEventDate(event.date);
  const dateText = date?.ok ? date.date.text : undefined;
  const key = titleKey(event.title);
  return existing.find((other) => other.date?.text === dateText && titleKey(other.title) === key);
}
