// The item cache of `build` (events/item-cache.ts) in a file beside the check cache, one file per
// events file: a header naming the loading code, then a record per item, in batches (what one write
// wrote) each led by its length and CRC-32 (see batch). A build appends the items it added (a
// rebuild after one `add` appends one batch of one record, not the whole file) and writes the file
// anew when stale records would make it more than twice what the last load used. A damaged (one byte is
// enough), truncated or foreign file is never trusted: it reads as an empty cache and is written
// again after the build.
//
// Beside it, `<name>.layout` holds where the items of the text the last build read lay, and the hashes
// of that text's blocks (see ItemLayout; not the text itself, which would be 8 MB to read and write
// again at 10,000 events): the next build finds the start and end its text shares with that one and
// takes the items there without scanning, hashing or character-checking them. It is a pure record of
// that text: a damaged one (wrong length, bad numbers, hashes that do not cover the length) is ignored.
import { isAscii } from 'node:buffer';
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { blockHash, codeHash, eventEntry, ItemCache, type ItemEntry, type ItemLayout } from '../events/item-cache.js';
import type { TimelineEvent } from '../events/model.js';
import { StoredBatch, StoredEvent, type StoredHead, storedDate, storedSources } from '../events/stored-event.js';
import { evictOldest } from './cache-eviction.js';
import { codeFingerprint } from './check-cache.js';
import { readWhole } from './read-whole.js';

const MAGIC = 'chronicle-items 8 ';
const LAYOUT_MAGIC = 'chronicle-layout 3 ';
/** Past this a cache is not worth its own reading time: it is not written. */
const MAX_BYTES = 256 * 1024 * 1024;
const MAX_FILES = 20;

/** What a read cache file held: how many records (so the next write knows whether to append). */
const recordsInFile = new WeakMap<ItemCache, number>();

/** The saved items of `name` (a hash of the events file's path), or an empty cache. */
export async function readItemCache(dir: string, name: string, options: { block?: number } = {}): Promise<ItemCache> {
  const fingerprint = codeFingerprint();
  const code = codeHash(fingerprint);
  // No file yet, or one we cannot read: start empty.
  const [entries, layout] = await Promise.all([
    readWhole(join(dir, 'items', `${name}.cache`)).then(
      (bytes) => parseItemEntries(bytes, code),
      () => undefined,
    ),
    readWhole(join(dir, 'items', `${name}.layout`)).then(
      (bytes) => parseItemLayout(decode(bytes), code),
      () => undefined,
    ),
  ]);
  const cache = new ItemCache(fingerprint, entries ?? [], options);
  if (entries) recordsInFile.set(cache, entries.length);
  if (layout) cache.restore(layout);
  return cache;
}

/** An empty cache of this loading code (a build made again without its item file: see build.ts). */
export function emptyItemCache(): ItemCache {
  return new ItemCache(codeFingerprint());
}

export async function writeItemCache(dir: string, name: string, cache: ItemCache): Promise<void> {
  await Promise.all([writeEntries(dir, name, cache), writeLayout(dir, name, cache)]);
}

/** Where the items of the last load lay, unless it is the text the file describes already. */
async function writeLayout(dir: string, name: string, cache: ItemCache): Promise<void> {
  const layout = cache.layout;
  if (!layout || cache.sameLayout || layout.starts.length === 0 || layout.length > MAX_BYTES) return;
  const blocks = cache.blocks();
  if (!blocks) return;
  const { clean, starts, stops, seens, keys, now } = layout;
  const quiet = now === undefined ? undefined : layout.quiet?.join('');
  const { ends, hashes } = blocks;
  try {
    const folder = join(dir, 'items');
    await mkdir(folder, { recursive: true });
    const path = join(folder, `${name}.layout`);
    const temporary = `${path}.${process.pid}.tmp`;
    const json = JSON.stringify({ clean, ends, hashes, starts, stops, seens, keys, ...(quiet === undefined ? {} : { now, quiet }) });
    await writeFile(temporary, `${LAYOUT_MAGIC}${cache.code} ${layout.length} ${blockHash(json)}\n${json}\n`);
    await rename(temporary, path);
    await evictOldest(folder, '.layout', MAX_FILES);
  } catch {
    // A read-only home or a full disk must not fail a good build.
  }
}

/** A layout file of loading code `code`, or undefined for anything else (another code, block hashes
 * that do not cover the recorded length, numbers that are not ascending offsets within it). */
export function parseItemLayout(file: string, code: string): ItemLayout | undefined {
  const header = file.indexOf('\n');
  const second = header === -1 ? -1 : file.indexOf('\n', header + 1);
  if (second === -1 || second !== file.length - 1 || !file.startsWith(`${LAYOUT_MAGIC}${code} `)) return undefined;
  const [lengthText, sum] = file.slice(LAYOUT_MAGIC.length + code.length + 1, header).split(' ');
  const length = Number(lengthText);
  if (!Number.isInteger(length) || length < 0) return undefined;
  // A layout's keys name the entries its items take: a line changed on disk must not pass for them.
  const json = file.slice(header + 1, second);
  if (sum !== blockHash(json)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  const { clean, ends, hashes, starts, stops, seens, keys, now, quiet } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof clean !== 'boolean' || !Array.isArray(starts) || !Array.isArray(stops) || !Array.isArray(seens) || !Array.isArray(keys))
    return undefined;
  if (!isBlockList(ends, hashes, length)) return undefined;
  const n = starts.length;
  if (stops.length !== n || seens.length !== n || keys.length !== n) return undefined;
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const start = starts[i];
    const stop = stops[i];
    const seen = seens[i];
    if (!Number.isInteger(start) || !Number.isInteger(stop) || !Number.isInteger(seen) || typeof keys[i] !== 'string') return undefined;
    if (start <= previous || stop <= start || seen < stop || seen > length + 1) return undefined;
    previous = start;
  }
  // Lint flags: one per item, for one now.
  if (now !== undefined && (typeof now !== 'string' || typeof quiet !== 'string' || !new RegExp(`^[01]{${n}}$`).test(quiet)))
    return undefined;
  const flags = typeof quiet === 'string' && now !== undefined ? { now, quiet: [...quiet] } : {};
  return { length, ends, hashes, clean, starts, stops, seens, keys, ...flags } as ItemLayout;
}

/** Blocks that cut a text of `length` characters: ascending ends up to `length`, and one sha256
 * (base64url) per block. */
function isBlockList(ends: unknown, hashes: unknown, length: number): boolean {
  if (!Array.isArray(ends) || !Array.isArray(hashes) || ends.length !== hashes.length) return false;
  let previous = 0;
  for (const end of ends) {
    if (!Number.isInteger(end) || end <= previous) return false;
    previous = end;
  }
  return previous === length && hashes.every((hash) => typeof hash === 'string' && /^[\w-]{43}$/.test(hash));
}

async function writeEntries(dir: string, name: string, cache: ItemCache): Promise<void> {
  const records = recordsInFile.get(cache);
  // The items of the last accepted load (a few more than the distinct entries when items repeat:
  // counting those would cost a set of 10,000 keys on every rebuild). Not the last load's: one that
  // stopped at an error would make every kept entry look stale.
  const limit = 2 * cache.acceptedCount + 64;
  const added = cache.added;
  if (records !== undefined && added.length === 0 && records <= limit) return;
  try {
    const folder = join(dir, 'items');
    const path = join(folder, `${name}.cache`);
    if (records !== undefined && records + added.length <= limit) {
      await appendFile(path, batch(added, cache));
      recordsInFile.set(cache, records + added.length);
    } else {
      const body = batch(cache.entries(), cache);
      if (body.length > MAX_BYTES) return;
      await mkdir(folder, { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, Buffer.concat([Buffer.from(`${MAGIC}${cache.code}\n`), body]));
      await rename(temporary, path);
      recordsInFile.set(cache, cache.size);
      await evictOldest(folder, '.cache', MAX_FILES);
    }
    cache.added = [];
  } catch {
    // A read-only home or a full disk must not fail a good build.
  }
}

/** UTF-8 text; plain ASCII (JSON of ASCII files) decoded as Latin-1, the same text, copied faster. */
function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** One write's records (a whole file, or what one build appends), as one batch: a line with the
 * length in bytes of what follows and its CRC-32; a line with the length of the heads; the heads (one
 * JSON object of columns, see Heads); a newline; then the parts of the events, one after the other.
 * The event built from an item is kept with it when known (most: reading it is cheaper than reading
 * the item's value and building the event again), else the item's value. An event's small fields
 * are in the columns; its sources (JSON, dates as text) and summary follow in the parts, so that a
 * rebuild decodes them only for the events it renders again. One changed byte, even one that still
 * parses (a title, a date), or an append cut short makes the file read as empty: it is never
 * trusted over the text. One sum per write rather than one per record: 10,000 sums of strings cost
 * a rebuild ~25 ms, one sum of 8 MB of bytes a few. */
function batch(entries: Iterable<ItemEntry>, cache: ItemCache): Buffer {
  const heads: Heads = {
    key: [],
    end: [],
    id: [],
    title: [],
    date: [],
    actors: [],
    tags: [],
    related: [],
    parts: [],
    rest: [],
    values: [],
  };
  const parts: Buffer[] = [];
  let i = 0;
  for (const entry of entries) {
    const event = cache.eventOf(entry[0]);
    heads.key.push(entry[0]);
    heads.end.push(entry[1]);
    if (!event) {
      heads.id.push(null);
      heads.title.push(null);
      heads.date.push(null);
      heads.actors.push(null);
      heads.tags.push(null);
      heads.related.push(null);
      heads.parts.push(0, -1);
      heads.values.push(i++, entry[2]);
      continue;
    }
    const stored = event instanceof StoredEvent ? event.storedParts : undefined;
    let sources: Buffer;
    let summary: Buffer | undefined;
    if (stored) {
      // Read from a file and neither decoded nor changed since: the very bytes again.
      const { bytes, at, sourcesLength, summaryLength } = stored;
      sources = bytes.subarray(at, at + sourcesLength);
      summary = summaryLength < 0 ? undefined : bytes.subarray(at + sourcesLength, at + sourcesLength + summaryLength);
    } else {
      sources = Buffer.from(storedSources(event.sources));
      summary = event.summary === undefined ? undefined : Buffer.from(event.summary);
    }
    parts.push(sources);
    if (summary) parts.push(summary);
    heads.id.push(event.id);
    heads.title.push(event.title);
    heads.date.push(event.date === undefined ? null : event.date.text);
    heads.actors.push(event.actors);
    heads.tags.push(event.tags);
    heads.related.push(event.related);
    heads.parts.push(sources.length, summary ? summary.length : -1);
    const rest = restOf(event);
    if (rest) heads.rest.push(i, rest);
    i++;
  }
  const json = Buffer.from(JSON.stringify(heads));
  const body = Buffer.concat([Buffer.from(`${json.length}\n`), json, NEWLINE_BYTES, ...parts]);
  return Buffer.concat([Buffer.from(`${body.length} ${sumOf(body, cache.code)}\n`), body]);
}

/** A batch's heads, a column per field (JSON of columns parses about twice as fast as JSON of an
 * object per event): entry i is `key[i]` and `end[i]`; its event (id[i] not null) has those small
 * fields, and `parts[2i]` bytes of sources and `parts[2i + 1]` of summary (-1: none) in the batch's
 * parts; `rest` pairs an entry's number with what its event has other than the defaults (status,
 * certainty, importance) and besides (display date, claimed by, added); `values` pairs the number
 * of an entry without an event with the item's value. */
interface Heads {
  key: string[];
  end: number[];
  id: (string | null)[];
  title: (string | null)[];
  date: (string | null)[];
  actors: (string[] | null)[];
  tags: (string[] | null)[];
  related: (string[] | null)[];
  parts: number[];
  rest: unknown[];
  values: unknown[];
}

const NEWLINE_BYTES = Buffer.from('\n');

/** The CRC-32 of a batch, begun with the loading code's (codeHash): a batch that another version
 * appended to a file this one wrote (two builds of one file at once) does not add up. */
function sumOf(bytes: Buffer, code: string): string {
  return crc32(bytes, crc32(code)).toString(16).padStart(8, '0');
}

/** Entries of a cache file of loading code `code`; anything else (truncated, garbage, another
 * version of the code) gives none. Later records win over earlier ones with the same key. */
export function parseItemEntries(bytes: Buffer, code: string): ItemEntry[] | undefined {
  const header = Buffer.from(`${MAGIC}${code}\n`);
  if (bytes.length < header.length || !bytes.subarray(0, header.length).equals(header)) return undefined;
  const entries: ItemEntry[] = [];
  let at = header.length;
  while (at < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, at);
    if (newline === -1 || newline - at > 32) return undefined;
    const [lengthText, sum] = bytes.toString('latin1', at, newline).split(' ');
    const length = Number(lengthText);
    if (!/^[0-9]+$/.test(lengthText ?? '') || newline + 1 + length > bytes.length) return undefined;
    const body = bytes.subarray(newline + 1, newline + 1 + length);
    if (sum !== sumOf(body, code) || !batchEntries(body, entries)) return undefined;
    at = newline + 1 + length;
  }
  return entries;
}

/** The entries of a batch's body (its sum matched), pushed; false when it does not add up (only a
 * file written by other code could get here). */
function batchEntries(body: Buffer, entries: ItemEntry[]): boolean {
  const newline = body.indexOf(NEWLINE);
  const lengthText = newline === -1 || newline > 12 ? '' : body.toString('latin1', 0, newline);
  if (!/^[0-9]+$/.test(lengthText)) return false;
  const headsEnd = newline + 1 + Number(lengthText);
  if (headsEnd >= body.length || body[headsEnd] !== NEWLINE) return false;
  let heads: Heads;
  try {
    heads = JSON.parse(decode(body.subarray(newline + 1, headsEnd)));
  } catch {
    return false;
  }
  if (!isHeads(heads)) return false;
  const { key, end, id, title, date, actors, tags, related, parts, rest, values } = heads;
  // By entry number (sparse): most batches have no rest and no values at all.
  const restOfEntry: unknown[] = [];
  for (let r = 0; r < rest.length; r += 2) if (!setOnce(restOfEntry, rest[r], rest[r + 1])) return false;
  const valueOfEntry: unknown[] = [];
  for (let v = 0; v < values.length; v += 2) if (!setOnce(valueOfEntry, values[v], values[v + 1])) return false;
  const batch = new StoredBatch(body, parts as number[]);
  // One head, filled anew for each event (the event copies its fields): no object per event for it.
  const head: StoredHead = {
    id: '',
    title: '',
    status: 'happened',
    certainty: 'reported',
    actors: [],
    tags: [],
    importance: 2,
    related: [],
  };
  let at = headsEnd + 1;
  let withValues = 0;
  let withRest = 0;
  for (let i = 0; i < key.length; i++) {
    const itemKey = key[i];
    const itemEnd = end[i];
    if (typeof itemKey !== 'string' || !Number.isInteger(itemEnd) || (itemEnd as number) < 0) return false;
    const eventId = id[i];
    if (eventId === null) {
      if (!(i in valueOfEntry)) return false;
      withValues++;
      entries.push([itemKey, itemEnd as number, valueOfEntry[i]]);
      continue;
    }
    const more = restOfEntry[i];
    if (more !== undefined) withRest++;
    const dateText = date[i];
    const eventDate = typeof dateText === 'string' ? storedDate(dateText) : undefined;
    const sources = parts[2 * i];
    const summary = parts[2 * i + 1];
    if (
      typeof eventId !== 'string' ||
      !fillHead(head, eventId, title[i], actors[i], tags[i], related[i], more) ||
      (dateText !== null && !eventDate) ||
      !Number.isInteger(sources) ||
      !Number.isInteger(summary) ||
      (sources as number) < 0 ||
      (summary as number) < -1
    )
      return false;
    const length = (sources as number) + Math.max(0, summary as number);
    if (at + length > body.length) return false;
    // Sources are decoded when first read, long after this: lengths that cut them elsewhere than
    // their brackets are refused now (only a file written by other code, with a sum that matches,
    // could hold them).
    if ((sources as number) > 0 && (body[at] !== OPEN || body[at + (sources as number) - 1] !== CLOSE)) return false;
    batch.at[i] = at;
    at += length;
    entries.push(eventEntry(itemKey, itemEnd as number, new StoredEvent(head, eventDate, -1, batch, i)));
  }
  // Every part, value and rest belongs to an entry, and to one only.
  return at === body.length && withValues * 2 === values.length && withRest * 2 === rest.length;
}

/** Sets list[at] once, for a whole entry number; false for anything else (a number repeated, or not one). */
function setOnce(list: unknown[], at: unknown, value: unknown): boolean {
  if (!Number.isInteger(at) || (at as number) < 0 || (at as number) in list || value === undefined) return false;
  list[at as number] = value;
  return true;
}

/** Columns of one length (see Heads). */
function isHeads(value: unknown): value is Heads {
  if (value === null || typeof value !== 'object') return false;
  const heads = value as Record<string, unknown>;
  const n = Array.isArray(heads.key) ? heads.key.length : -1;
  const column = (name: string, length = n) => Array.isArray(heads[name]) && (heads[name] as unknown[]).length === length;
  return (
    ['end', 'id', 'title', 'date', 'actors', 'tags', 'related'].every((name) => column(name)) &&
    column('parts', 2 * n) &&
    Array.isArray(heads.rest) &&
    heads.rest.length % 2 === 0 &&
    Array.isArray(heads.values) &&
    heads.values.length % 2 === 0
  );
}

/** What an event has other than the defaults of buildTimeline and besides its main fields. */
function restOf(event: TimelineEvent): Rest | undefined {
  const rest: Rest = {};
  if (event.status !== 'happened') rest.status = event.status;
  if (event.certainty !== 'reported') rest.certainty = event.certainty;
  if (event.importance !== 2) rest.importance = event.importance;
  if (event.displayDate !== undefined) rest.displayDate = event.displayDate;
  if (event.claimedBy !== undefined) rest.claimedBy = event.claimedBy;
  if (event.added !== undefined) rest.added = event.added;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

type Rest = Partial<Pick<StoredHead, 'status' | 'certainty' | 'importance' | 'displayDate' | 'claimedBy' | 'added'>>;

/** Fills `head` with an event's small fields; false when they are not of the types written. */
function fillHead(head: StoredHead, id: string, title: unknown, actors: unknown, tags: unknown, related: unknown, rest: unknown): boolean {
  // Only lists: their texts are checked against the file's entities, tags and ids by the whole-file
  // checks on every load (a load that finds an error reads the text again without the cache).
  if (typeof title !== 'string' || !Array.isArray(actors) || !Array.isArray(tags) || !Array.isArray(related)) return false;
  if (rest !== undefined && !isRest(rest)) return false;
  const more = rest as Rest | undefined;
  head.id = id;
  head.title = title;
  head.status = more?.status ?? 'happened';
  head.certainty = more?.certainty ?? 'reported';
  head.actors = actors;
  head.tags = tags;
  head.importance = more?.importance ?? 2;
  head.related = related;
  head.displayDate = more?.displayDate;
  head.claimedBy = more?.claimedBy;
  head.added = more?.added;
  return true;
}

/** What restOf writes: its fields of the types written (an object of other fields would only be one
 * other code wrote; its fields are not read). */
function isRest(value: unknown): value is Rest {
  if (value === null || typeof value !== 'object') return false;
  const rest = value as Record<string, unknown>;
  return (
    (rest.importance === undefined || rest.importance === 1 || rest.importance === 3) &&
    isText(rest.status) &&
    isText(rest.certainty) &&
    isText(rest.displayDate) &&
    isText(rest.claimedBy) &&
    isText(rest.added)
  );
}

function isText(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

const NEWLINE = 0x0a;
const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
