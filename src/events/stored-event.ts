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

/** A summary read: the event has none (undefined in StoredBatch.summaries: not read yet). */
const NO_SUMMARY: unique symbol = Symbol('no summary');

/** A batch of the item file as its events read it: its bytes, where each event's sources begin, the
 * lengths of each one's sources and summary (the heads' `parts` column as it was read: 2i and 2i + 1),
 * and what was decoded of each (shared by an event and its copies at other places). */
export class StoredBatch {
  readonly at: number[] = [];
  readonly sources: (Source[] | undefined)[] = [];
  readonly summaries: (string | typeof NO_SUMMARY | undefined)[] = [];

  constructor(
    readonly bytes: Buffer,
    readonly lengths: readonly number[],
  ) {}
}

const BATCH: unique symbol = Symbol('batch');
const AT: unique symbol = Symbol('at');

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
  /** The batch that holds its sources and summary, and its number there. Symbol keys rather than
   * private fields: a private field's initialiser cost a tenth of reading 10,000 events, and JSON,
   * Object.keys and copies made with copyEvent see these no more than private fields. */
  declare [BATCH]: StoredBatch | undefined;
  declare [AT]: number;

  /** Every field is set, in one order, the optional ones to undefined when absent (toJSON leaves
   * those out): every StoredEvent has one shape, so the code that reads 10,000 of them reads one. */
  constructor(
    head: StoredHead,
    date: EventDate | undefined,
    index: number,
    batch: StoredBatch | undefined,
    /** Its number in the batch. */
    at: number,
  ) {
    this.id = head.id;
    this.title = head.title;
    this.status = head.status;
    this.certainty = head.certainty;
    this.actors = head.actors;
    this.tags = head.tags;
    this.importance = head.importance;
    this.related = head.related;
    this.index = index;
    this.date = date;
    this.displayDate = head.displayDate;
    this.claimedBy = head.claimedBy;
    this.added = head.added;
    this[BATCH] = batch;
    this[AT] = at;
  }

  get sources(): Source[] {
    const batch = this[BATCH];
    if (!batch) return [];
    const i = this[AT];
    let sources = batch.sources[i];
    if (sources === undefined) {
      const at = batch.at[i]!;
      const length = batch.lengths[2 * i]!;
      sources = length > 0 ? sourcesOf(batch.bytes.toString('utf8', at, at + length)) : [];
      batch.sources[i] = sources;
    }
    return sources;
  }

  get summary(): string | undefined {
    const batch = this[BATCH];
    if (!batch) return undefined;
    const i = this[AT];
    let summary = batch.summaries[i];
    if (summary === undefined) {
      const length = batch.lengths[2 * i + 1]!;
      const from = batch.at[i]! + batch.lengths[2 * i]!;
      summary = length >= 0 ? batch.bytes.toString('utf8', from, from + length) : NO_SUMMARY;
      batch.summaries[i] = summary;
    }
    return summary === NO_SUMMARY ? undefined : summary;
  }

  /** The parts as they lie in the file: written back as they are. */
  get storedParts(): StoredParts | undefined {
    const batch = this[BATCH];
    if (!batch) return undefined;
    const i = this[AT];
    return { bytes: batch.bytes, at: batch.at[i]!, sourcesLength: batch.lengths[2 * i]!, summaryLength: batch.lengths[2 * i + 1]! };
  }

  /** The same event at another place in the file (what either has decoded already, the copy has too). */
  at(index: number): StoredEvent {
    return new StoredEvent(this, this.date, index, this[BATCH], this[AT]);
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
