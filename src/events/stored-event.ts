// An event as the item file of `build` keeps it (io/item-cache-file.ts), read back by a rebuild. A
// rebuild after one `add` takes 10,000 such events and renders the few of the changed year: the
// others' sources and summaries (three quarters of their bytes) are read only if something asks
// for them. So an event's small fields are read with the file (one JSON.parse of them all), and its
// sources and summary stay as UTF-8 bytes in the file's buffer until first read, then are decoded
// once. Everything else behaves as a TimelineEvent built from the item's text: JSON.stringify gives
// the same text (toJSON), and a copy is made with `copyEvent`, not a spread, which would miss the
// two fields read lazily.
import { dayDate, type EventDate, parseEventDate } from './dates.js';
import type { Source, TimelineEvent } from './model.js';
import type { Certainty, Status } from './schema.js';

/** An event's small fields as the item file keeps them (all but sources and summary; its date is
 * kept as its text, from which storedDate gives back the very date). */
export interface StoredHead {
  id: string;
  title: string;
  status: Status;
  certainty: Certainty;
  actors: string[];
  tags: string[];
  importance: 1 | 2 | 3;
  related: string[];
  displayDate?: string;
  claimedBy?: string;
  added?: string;
}

/** Where an event's sources and summary lie in the bytes of the file: the sources' JSON (dates as
 * text, none when 0 bytes long), then the summary (none when -1). */
export interface StoredParts {
  bytes: Buffer;
  at: number;
  sourcesLength: number;
  summaryLength: number;
}

/** A field not decoded yet. */
const NOT_READ: unique symbol = Symbol('not read');
const BYTES: unique symbol = Symbol('bytes');
const AT: unique symbol = Symbol('at');
const SOURCES_LENGTH: unique symbol = Symbol('sources length');
const SUMMARY_LENGTH: unique symbol = Symbol('summary length');
const SOURCES: unique symbol = Symbol('sources');
const SUMMARY: unique symbol = Symbol('summary');

export class StoredEvent implements TimelineEvent {
  declare id: string;
  declare title: string;
  declare status: Status;
  declare certainty: Certainty;
  declare actors: string[];
  declare tags: string[];
  declare importance: 1 | 2 | 3;
  declare related: string[];
  declare index: number;
  declare date?: EventDate;
  declare displayDate?: string;
  declare claimedBy?: string;
  declare added?: string;
  /** Where sources and summary lie in the file's bytes (see StoredParts), and each once decoded
   * (NOT_READ until then). Symbol keys rather than private fields: a private field's initialiser
   * cost a tenth of reading 10,000 events, and JSON, Object.keys and copies made with copyEvent see
   * these no more than private fields. The two fields have no setters: nothing changes an event
   * once built. */
  declare [BYTES]: Buffer | undefined;
  declare [AT]: number;
  declare [SOURCES_LENGTH]: number;
  declare [SUMMARY_LENGTH]: number;
  declare [SOURCES]: Source[] | typeof NOT_READ;
  declare [SUMMARY]: string | undefined | typeof NOT_READ;

  /** `date`: the head's date, parsed (the caller checked that it parses). */
  constructor(head: StoredHead, date: EventDate | undefined, parts: StoredParts | undefined, index: number) {
    this.id = head.id;
    this.title = head.title;
    this.status = head.status;
    this.certainty = head.certainty;
    this.actors = head.actors;
    this.tags = head.tags;
    this.importance = head.importance;
    this.related = head.related;
    this.index = index;
    if (date !== undefined) this.date = date;
    if (head.displayDate !== undefined) this.displayDate = head.displayDate;
    if (head.claimedBy !== undefined) this.claimedBy = head.claimedBy;
    if (head.added !== undefined) this.added = head.added;
    // The parts' fields on the event itself: one object less per event for the collector to copy.
    this[BYTES] = parts?.bytes;
    this[AT] = parts?.at ?? 0;
    this[SOURCES_LENGTH] = parts?.sourcesLength ?? 0;
    this[SUMMARY_LENGTH] = parts?.summaryLength ?? -1;
    this[SOURCES] = NOT_READ;
    this[SUMMARY] = NOT_READ;
  }

  get sources(): Source[] {
    if (this[SOURCES] === NOT_READ) {
      const bytes = this[BYTES];
      const at = this[AT];
      const length = this[SOURCES_LENGTH];
      this[SOURCES] = bytes && length > 0 ? sourcesOf(bytes.toString('utf8', at, at + length)) : [];
    }
    return this[SOURCES];
  }

  get summary(): string | undefined {
    if (this[SUMMARY] === NOT_READ) {
      const bytes = this[BYTES];
      const from = this[AT] + this[SOURCES_LENGTH];
      const length = this[SUMMARY_LENGTH];
      this[SUMMARY] = bytes && length >= 0 ? bytes.toString('utf8', from, from + length) : undefined;
    }
    return this[SUMMARY];
  }

  /** The parts as they lie in the file: written back as they are. */
  get storedParts(): StoredParts | undefined {
    const bytes = this[BYTES];
    return bytes && { bytes, at: this[AT], sourcesLength: this[SOURCES_LENGTH], summaryLength: this[SUMMARY_LENGTH] };
  }

  /** The same event at another place in the file (what either has decoded already, the copy has too). */
  at(index: number): StoredEvent {
    const copy = new StoredEvent(this, this.date, this.storedParts, index);
    copy[SOURCES] = this[SOURCES];
    copy[SUMMARY] = this[SUMMARY];
    return copy;
  }

  /** The JSON a TimelineEvent built from the same item gives (the same keys, in the same order). */
  toJSON(): TimelineEvent {
    const event: TimelineEvent = {
      id: this.id,
      title: this.title,
      status: this.status,
      certainty: this.certainty,
      actors: this.actors,
      tags: this.tags,
      importance: this.importance,
      sources: this.sources,
      related: this.related,
      index: this.index,
    };
    if (this.date !== undefined) event.date = this.date;
    if (this.displayDate !== undefined) event.displayDate = this.displayDate;
    const summary = this.summary;
    if (summary !== undefined) event.summary = summary;
    if (this.claimedBy !== undefined) event.claimedBy = this.claimedBy;
    if (this.added !== undefined) event.added = this.added;
    return event;
  }
}

/** A copy of `event` at place `index` of the file. */
export function copyEvent(event: TimelineEvent, index: number): TimelineEvent {
  return event instanceof StoredEvent ? event.at(index) : { ...event, index };
}

/** A date written as its text: the date it was written from, or undefined when the
 * text is not a date (a file that was not written by this code). */
export function storedDate(text: string): EventDate | undefined {
  // Most dates are days (some with a qualifier): made without the memo of parseEventDate (10,000 days, each once).
  const day = text.length <= 11 ? dayDate(text) : undefined;
  if (day) return day;
  const parsed = parseEventDate(text);
  return parsed.ok ? parsed.date : undefined;
}

/** Sources as the item file writes them: dates as their text. */
export function storedSources(sources: Source[]): string {
  return sources.length === 0 ? '' : JSON.stringify(sources, (key, value) => (key === 'date' ? (value as EventDate).text : value));
}

/** The sources of storedSources's text. The file's sum matched, so only other code could have
 * written text that does not read back (or sources of another shape): the build that reads it then
 * stops with DamagedItemFile and is made again without the file, which it writes anew
 * (commands/build.ts). */
function sourcesOf(json: string): Source[] {
  let sources: unknown;
  try {
    sources = JSON.parse(json);
  } catch {
    throw new DamagedItemFile();
  }
  if (!Array.isArray(sources)) throw new DamagedItemFile();
  for (const source of sources as Record<string, unknown>[]) {
    if (source === null || typeof source !== 'object' || Array.isArray(source)) throw new DamagedItemFile();
    for (const field of SOURCE_FIELDS) if (source[field] !== undefined && typeof source[field] !== 'string') throw new DamagedItemFile();
    if (Object.keys(source).some((key) => !SOURCE_FIELDS.includes(key))) throw new DamagedItemFile();
    if (source.date === undefined) continue;
    const date = storedDate(source.date as string);
    if (!date) throw new DamagedItemFile();
    source.date = date;
  }
  return sources as Source[];
}

const SOURCE_FIELDS = ['url', 'title', 'publisher', 'date'];

/** Thrown when an event read from the item file cannot be decoded: the file is never trusted over
 * the events file, so the build is made again without it. Never reaches the user. */
export class DamagedItemFile extends Error {
  constructor() {
    super('an event of the item file does not decode');
  }
}
