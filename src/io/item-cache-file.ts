// The item cache of `build` (events/item-cache.ts) in a file beside the check cache, one file per
// events file: a header naming the loading code, then one JSON line per item, in batches (what one
// write wrote) each led by its length and CRC-32. A build appends the items it added (a rebuild
// after one `add` appends one batch of one line, not the whole file) and writes the file anew when
// stale lines would make it more than twice what the last load used. A damaged (one byte is
// enough), truncated or foreign file is never trusted: it reads as an empty cache and is written
// again after the build.
//
// Beside it, `<name>.layout` holds where the items of the text the last build read lay, and the hashes
// of that text's blocks (see ItemLayout; not the text itself, which would be 8 MB to read and write
// again at 10,000 events): the next build finds the start and end its text shares with that one and
// takes the items there without scanning, hashing or character-checking them. It is a pure record of
// that text: a damaged one (wrong length, bad numbers, hashes that do not cover the length) is ignored.
import { isAscii } from 'node:buffer';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { blockHash, codeHash, eventEntry, ItemCache, type ItemEntry, type ItemLayout } from '../events/item-cache.js';
import type { TimelineEvent } from '../events/model.js';
import { evictOldest } from './cache-eviction.js';
import { codeFingerprint } from './check-cache.js';
import { readWhole } from './read-whole.js';

const MAGIC = 'chronicle-items 7 ';
const LAYOUT_MAGIC = 'chronicle-layout 3 ';
/** Past this a cache is not worth its own reading time: it is not written. */
const MAX_BYTES = 256 * 1024 * 1024;
const MAX_FILES = 20;

/** What a read cache file held: how many lines (so the next write knows whether to append). */
const linesInFile = new WeakMap<ItemCache, number>();

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
    readFile(join(dir, 'items', `${name}.layout`)).then(
      (bytes) => parseItemLayout(decode(bytes), code),
      () => undefined,
    ),
  ]);
  const cache = new ItemCache(fingerprint, entries ?? [], options);
  if (entries) linesInFile.set(cache, entries.length);
  if (layout) cache.restore(layout);
  return cache;
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
  const lines = linesInFile.get(cache);
  const limit = 2 * cache.size + 64;
  const added = cache.added;
  if (lines !== undefined && added.length === 0 && lines <= limit) return;
  try {
    const folder = join(dir, 'items');
    const path = join(folder, `${name}.cache`);
    if (lines !== undefined && lines + added.length <= limit) {
      await appendFile(path, batch(linesOf(added, cache)));
      linesInFile.set(cache, lines + added.length);
    } else {
      const body = batch(linesOf(cache.entries(), cache));
      if (body.length > MAX_BYTES) return;
      await mkdir(folder, { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, Buffer.concat([Buffer.from(`${MAGIC}${cache.code}\n`), body]));
      await rename(temporary, path);
      linesInFile.set(cache, cache.size);
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

/** A record per entry: a line `[key, end, value]`, or `[key, end, 0, event]` when the event built from
 * the item is known (most): reading it is cheaper than reading the value and building the event again.
 * An event's summary (half the bytes of a typical file) is left out of the JSON (its place holds 0)
 * and follows the line as it is, the line starting with its length: the reader takes it as a slice of
 * the file's text instead of decoding it as JSON. */
function linesOf(entries: Iterable<ItemEntry>, cache: ItemCache): string {
  let text = '';
  for (const entry of entries) {
    const event = cache.eventOf(entry[0]);
    if (!event) text += `${JSON.stringify([entry[0], entry[1], entry[2]])}\n`;
    else if (event.summary === undefined || event.summary.length < RAW_FROM) text += `${JSON.stringify([entry[0], entry[1], 0, event])}\n`;
    else {
      const { summary } = event;
      text += `${summary.length} ${JSON.stringify([entry[0], entry[1], 0, { ...event, summary: 0 }])}\n${summary}\n`;
    }
  }
  return text;
}

/** Records as written at once (a whole file, or what one build appends): a line with the length in
 * bytes of what follows and its CRC-32, then the records. One changed byte, even one that still
 * parses (a title, a date), or an append cut short makes the file read as empty: it is never trusted
 * over the text. One sum of the bytes per write rather than one per record: 10,000 sums of strings
 * cost a rebuild ~25 ms, one sum of 8 MB of bytes a few. */
function batch(records: string): Buffer {
  const body = Buffer.from(records);
  return Buffer.concat([Buffer.from(`${body.length} ${sumOf(body)}\n`), body]);
}

function sumOf(bytes: Buffer): string {
  return crc32(bytes).toString(16).padStart(8, '0');
}

/** Summaries shorter than this stay in the JSON (a slice of a short string is a copy anyway). */
const RAW_FROM = 16;

/** Entries of a cache file of loading code `code`; anything else (truncated, garbage, another
 * version of the code) gives none. Later records win over earlier ones with the same key. */
export function parseItemEntries(bytes: Buffer, code: string): ItemEntry[] | undefined {
  const header = Buffer.from(`${MAGIC}${code}\n`);
  if (bytes.length < header.length || !bytes.subarray(0, header.length).equals(header)) return undefined;
  // The JSON lines of every batch, joined into one array (one parse, not thousands), and the
  // summaries after them.
  const lines: string[] = [];
  const raws: (string | undefined)[] = [];
  let at = header.length;
  while (at < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, at);
    if (newline === -1 || newline - at > 32) return undefined;
    const [lengthText, sum] = bytes.toString('latin1', at, newline).split(' ');
    const length = Number(lengthText);
    if (!/^[0-9]+$/.test(lengthText ?? '') || newline + 1 + length > bytes.length) return undefined;
    const body = bytes.subarray(newline + 1, newline + 1 + length);
    if (sum !== sumOf(body)) return undefined;
    if (!recordsOf(decode(body), lines, raws)) return undefined;
    at = newline + 1 + length;
  }
  let entries: unknown;
  try {
    entries = JSON.parse(`[${lines.join(',')}]`);
  } catch {
    return undefined;
  }
  if (!Array.isArray(entries) || entries.length !== raws.length) return undefined;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Number.isInteger(entry[1]) || entry[1] < 0) return undefined;
    const raw = raws[i];
    if (entry.length === 4 && entry[2] === 0 && isEvent(entry[3])) {
      if (raw !== undefined) {
        if (entry[3].summary !== (0 as unknown)) return undefined;
        entry[3].summary = raw;
      }
      entries[i] = eventEntry(entry[0], entry[1], entry[3]);
    } else if (entry.length !== 3 || raw !== undefined) return undefined;
  }
  return entries as ItemEntry[];
}

/** The records of a batch's text: their JSON lines and raw summaries pushed; false when it does not
 * add up (the sum matched, so only a file written by other code could get here). */
function recordsOf(text: string, lines: string[], raws: (string | undefined)[]): boolean {
  let at = 0;
  while (at < text.length) {
    let raw = -1;
    if (text.charCodeAt(at) !== OPEN) {
      raw = 0;
      for (let c = text.charCodeAt(at); c !== SPACE; c = text.charCodeAt(++at)) {
        if (!(c >= ZERO && c <= NINE) || raw > text.length) return false;
        raw = raw * 10 + c - ZERO;
      }
      at++;
    }
    const end = text.indexOf('\n', at);
    if (end === -1) return false;
    lines.push(text.slice(at, end));
    at = end + 1;
    if (raw === -1) {
      raws.push(undefined);
      continue;
    }
    if (at + raw >= text.length || text.charCodeAt(at + raw) !== NEWLINE) return false;
    raws.push(text.slice(at, at + raw));
    at += raw + 1;
  }
  return true;
}

const OPEN = 0x5b; // [
const SPACE = 0x20;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const NINE = 0x39;

/** The shape of a TimelineEvent as JSON (the rest is as trustworthy as the entry's value would be). */
function isEvent(value: unknown): value is TimelineEvent {
  if (value === null || typeof value !== 'object') return false;
  const event = value as Record<string, unknown>;
  return (
    typeof event.id === 'string' &&
    typeof event.title === 'string' &&
    typeof event.index === 'number' &&
    Array.isArray(event.actors) &&
    Array.isArray(event.tags) &&
    Array.isArray(event.sources) &&
    Array.isArray(event.related) &&
    (event.date === undefined || (typeof event.date === 'object' && event.date !== null))
  );
}
