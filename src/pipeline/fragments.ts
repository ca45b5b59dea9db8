// Rendered fragments (one event's article, feed entry...) by the hash of everything they are made
// from. A fragment is a pure function of its key's inputs, so a hit is byte-identical to rendering
// again. `build` keeps the cache in a file beside the check cache; `serve` keeps it in memory.
import { hash } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { evictOldest } from '../io/cache-eviction.js';
import { readWhole } from '../io/read-whole.js';
import { codePath } from '../own-files.js';
import { codeFingerprint } from './code-fingerprint.js';
import {
  type FragmentIndex,
  keyPrefix as indexKeyPrefix,
  bytesPrefix as indexPrefix,
  KEY_LENGTH,
  lookup,
  readIndex,
  writeIndex,
} from './fragment-index.js';

export interface FragmentStore {
  /** The fragment of `key`, made (and kept) by `render` when it is not there. */
  through(key: string, render: () => string): string;
  /** The same, but as the bytes the store holds when it holds bytes (a fragment read from a cache
   * file): for parts written as they are, which then cost neither decoding nor encoding. */
  bytes(key: string, render: () => string): string | Buffer;
  /** The fragment of `key` if the store holds it (and then kept, as a hit of `bytes` is). */
  get(key: string): string | Buffer | undefined;
}

/** A fragment as a build made it (text) or as a cache file holds it (UTF-8 bytes). */
type Stored = string | Buffer;

/** What a cache starts from: fragments in memory (serve) or a cache file's (build). */
interface Entries {
  get(key: string): Stored | undefined;
  readonly size: number;
}

/** A generation of fragments: what the last build used, and what this one uses. Only the latter is
 * kept, so the cache never grows beyond one build's worth (its file, see below, at most twice that). */
export class FragmentCache implements FragmentStore {
  private previous: Entries;
  private current = new Map<string, Stored>();
  /** What this build rendered that the last did not: all a cache file needs appended. */
  private fresh: [string, string][] = [];
  /** Whether this build rendered anything new (else there is nothing to save). */
  changed = false;
  /** The bytes of the file this cache was read from (0: no usable file). */
  readonly fileBytes: number;
  /** The entries of that file when it had no usable index: the next write writes one. */
  readonly unindexed: FileEntries | undefined;

  constructor(entries: Entries = new Map(), fileBytes = 0) {
    this.previous = entries;
    this.fileBytes = fileBytes;
    this.unindexed = entries instanceof FileEntries && fileBytes > 0 && !entries.indexed ? entries : undefined;
  }

  through(key: string, render: () => string): string {
    const value = this.bytes(key, render);
    return typeof value === 'string' ? value : value.toString('utf8');
  }

  bytes(key: string, render: () => string): Stored {
    let value = this.current.get(key) ?? this.previous.get(key);
    if (value === undefined) {
      value = render();
      this.changed = true;
      this.fresh.push([key, value]);
    }
    this.current.set(key, value);
    return value;
  }

  get(key: string): Stored | undefined {
    const value = this.current.get(key) ?? this.previous.get(key);
    if (value !== undefined) this.current.set(key, value);
    return value;
  }

  /** Ends a build: what it did not use is dropped. Returns what it used and what it rendered new. */
  settle(): { used: Map<string, Stored>; fresh: [string, string][] } {
    if (this.previous.size !== this.current.size) this.changed = true;
    const fresh = this.fresh;
    const used = this.current;
    this.previous = used;
    this.current = new Map();
    this.fresh = [];
    return { used, fresh };
  }
}

/** One key for several parts (NUL cannot occur in YAML text, and JSON writes it as \u0000). */
export function hashKey(...parts: string[]): string {
  return hash('sha256', parts.join('\u0000'), 'base64url');
}

// The file is a log: a first line, then records `KEY <tab> LENGTH <newline> VALUE SUM`, LENGTH in
// bytes of VALUE's UTF-8, SUM its CRC-32 (see intact). It is read as bytes and only its keys are
// decoded: a fragment that is used is decoded when it is asked for as text, and a page's year (most
// of its bytes) is written back out as the very bytes it was read as. A rebuild after one edit appends the few fragments it rendered
// instead of writing every fragment again; when more than a quarter of the file is not used it is
// written anew with only what the last build used. Beside it, `<name>.index` says where the records
// of its first bytes are (pipeline/fragment-index.ts): a build reads only the records after those.
const MAGIC = 'chronicle-fragments 4\n';
/** Past this a cache is not worth its own reading time: it is not written. */
const MAX_BYTES = 512 * 1024 * 1024;
const MAX_FILES = 20;

/** The saved fragments of `name`, or an empty cache when there are none or the file is damaged. */
export async function readFragmentCache(dir: string, name: string): Promise<FragmentCache> {
  try {
    const [bytes, indexFile] = await Promise.all([
      readWhole(join(dir, 'fragments', `${name}.cache`)),
      readFile(join(dir, 'fragments', `${name}.index`)).catch(() => undefined),
    ]);
    const index = indexFile && readIndex(indexFile, bytes);
    const entries = (index && readEntries(bytes, index)) ?? parseEntries(bytes);
    return new FragmentCache(entries, entries.size ? bytes.length : 0);
  } catch {
    return new FragmentCache();
  }
}

export async function writeFragmentCache(dir: string, name: string, cache: FragmentCache): Promise<void> {
  const { used, fresh } = cache.settle();
  const folder = join(dir, 'fragments');
  const path = join(folder, `${name}.cache`);
  try {
    // A file read without an index gets one, for what it held (what is appended now is read after it).
    const unindexed = cache.unindexed?.indexOf();
    if (unindexed) await writeIndexFile(`${path.slice(0, -'.cache'.length)}.index`, unindexed);
    if (!cache.changed) return;
    await mkdir(folder, { recursive: true });
    // The bytes of the records this build used (key, length, value, sum), as the file holds them.
    let usedBytes = 0;
    for (const [key, value] of used) usedBytes += key.length + RECORD_OVERHEAD + byteLength(value);
    if (usedBytes > MAX_BYTES) return;
    const appended = records(fresh).bytes;
    if (cache.fileBytes > 0 && 3 * (cache.fileBytes + appended.length) <= 4 * (usedBytes + MAGIC.length)) {
      // Three quarters or more of the file would be in use: what is new goes at its end. (A crash
      // halfway leaves a record that does not add up: the next build ignores the file and writes
      // it anew.) Every build reads the whole file, so what is not used is kept small: after a cold
      // build of 10,000 events the first rebuild uses 23 MB of its 37 (each unchanged year as one
      // piece, not its events one by one). A rebuild reading 37 MB, with the item and events
      // files, held enough outside V8's heap to start a full collection of it (~45 ms) every time;
      // at 23 MB it did not. The file is then written anew about every fifteenth rebuild.
      await appendFile(path, appended);
      return;
    }
    const temporary = `${path}.${process.pid}.tmp`;
    const written = records(used, MAGIC.length);
    const bytes = Buffer.concat([Buffer.from(MAGIC), written.bytes]);
    await writeFile(temporary, bytes);
    await rename(temporary, path);
    await writeIndexFile(`${path.slice(0, -'.cache'.length)}.index`, written.keys && { ...written.keys, bytes });
    await evictOldest(folder, '.cache', MAX_FILES);
    await evictOldest(folder, '.index', MAX_FILES);
  } catch {
    // A read-only home or a full disk must not fail a good build.
  }
}

/** Writes the index of a data file's records, or removes a stale one when they cannot be indexed. */
async function writeIndexFile(path: string, records: { offsets: number[]; prefixes: number[]; bytes: Buffer } | undefined): Promise<void> {
  const index = records && writeIndex(records.offsets, records.prefixes, records.bytes);
  if (!index) {
    await unlink(path).catch(() => undefined);
    return;
  }
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, index);
  await rename(temporary, path);
}

function byteLength(value: Stored): number {
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/** Records as one buffer: kept fragments are copied as the bytes they were read as. With `from`
 * (where the buffer will start in its file): where each record's key is, for an index, when every
 * key has hashKey's shape. */
function records(
  entries: Iterable<[string, Stored]>,
  from?: number,
): { bytes: Buffer; keys?: { offsets: number[]; prefixes: number[] } | undefined } {
  const parts: Buffer[] = [];
  let keys: { offsets: number[]; prefixes: number[] } | undefined = from === undefined ? undefined : { offsets: [], prefixes: [] };
  let at = from ?? 0;
  for (const [key, value] of entries) {
    // Keys are read back byte by byte as ASCII, up to a tab (hashKey makes only such keys).
    if (!/^[\x20-\x7e]+$/.test(key)) continue;
    const bytes = typeof value === 'string' ? Buffer.from(value) : value;
    const head = Buffer.from(`${key}\t${bytes.length}\n`);
    parts.push(head, bytes, Buffer.from(valueSum(bytes), 'latin1'));
    const prefix = keys && indexKeyPrefix(key);
    if (prefix === -1) keys = undefined;
    else if (keys && prefix !== undefined) {
      keys.offsets.push(at);
      keys.prefixes.push(prefix);
    }
    at += head.length + bytes.length + SUM_LENGTH;
  }
  return { bytes: Buffer.concat(parts), keys };
}

/** A record's bytes besides its key and value: a tab, its length (up to 10 digits), a newline, its
 * sum (an estimate: only the choice to append or write anew depends on it). */
const RECORD_OVERHEAD = 1 + 10 + 1 + 8;

/** Each value is followed by the CRC-32 of its bytes (8 hexadecimal digits), checked when the value
 * is used: a value changed on disk, even by one byte, is a miss (rendered again), never output. */
const SUM_LENGTH = 8;

function valueSum(bytes: Buffer): string {
  return crc32(bytes).toString(16).padStart(SUM_LENGTH, '0');
}

/** Whether the value from `start` to `end` of `bytes` still has the sum written after it. */
function intact(bytes: Buffer, start: number, end: number): boolean {
  return bytes.toString('latin1', end, end + SUM_LENGTH) === valueSum(bytes.subarray(start, end));
}

/** The entries of a cache file: where each value is in the file's bytes, a view made only when it
 * is asked for (a rebuild asks for a few hundred of some 30,000). */
export class FileEntries {
  /** Keys of hashKey's shape (43 base64url characters) by a number made of their first 8 (48 bits):
   * reading a file makes no string for them; a lookup checks the whole key. */
  private readonly byPrefix = new Map<number, number>();
  /** Keys of any other shape, by their text. */
  private readonly byText = new Map<string, number>();
  private readonly keyStarts: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** `index`: where the records of the file's first bytes are; the records read one by one (`add`)
   * are those after them. */
  constructor(
    private readonly bytes: Buffer,
    private readonly index?: FragmentIndex,
  ) {}

  /** How many records (at least as many as keys: a key both indexed and appended counts twice, which
   * only makes a build write its file when it might not have needed to). */
  get size(): number {
    return this.byPrefix.size + this.byText.size + (this.index?.count ?? 0);
  }

  /** Whether the records were found by an index. */
  get indexed(): boolean {
    return this.index !== undefined;
  }

  get(key: string): Buffer | undefined {
    const prefix = keyPrefix(key);
    let i = prefix === -1 ? this.byText.get(key) : this.byPrefix.get(prefix);
    // Two keys with the same first 8 characters (about one chance in 10^9 a build): the later
    // record holds the number, and the other key is a miss, never a wrong hit.
    if (i !== undefined && prefix !== -1 && this.bytes.toString('latin1', this.keyStarts[i], this.keyStarts[i]! + KEY_LENGTH) !== key)
      i = undefined;
    // Records read one by one come after the indexed ones: they are the later word.
    const found: [number, number] | undefined =
      i !== undefined ? [this.starts[i]!, this.ends[i]!] : this.index && lookup(this.index, this.bytes, key);
    return found && intact(this.bytes, found[0], found[1]) ? this.bytes.subarray(found[0], found[1]) : undefined;
  }

  /** Where each record read one by one is, for an index of the file, unless a key has another shape
   * than hashKey's (never in a build). */
  indexOf(): { offsets: number[]; prefixes: number[]; bytes: Buffer } | undefined {
    if (this.byText.size > 0 || this.index) return undefined;
    const offsets = [...this.byPrefix.values()].sort((a, b) => a - b).map((i) => this.keyStarts[i]!);
    const prefixes = offsets.map((at) => indexPrefix(this.bytes, at));
    return prefixes.includes(-1) ? undefined : { offsets, prefixes, bytes: this.bytes };
  }

  /** Records a value whose key is the bytes from `keyStart` to `keyEnd` (a later record of the
   * same key wins, as a log's last word). */
  add(keyStart: number, keyEnd: number, start: number, end: number): void {
    const i = this.starts.length;
    this.keyStarts.push(keyStart);
    this.starts.push(start);
    this.ends.push(end);
    const prefix = keyEnd - keyStart === KEY_LENGTH ? bytesPrefix(this.bytes, keyStart) : -1;
    if (prefix === -1) this.byText.set(this.bytes.toString('latin1', keyStart, keyEnd), i);
    else this.byPrefix.set(prefix, i);
  }

  *keys(): Generator<string> {
    for (const [key] of this) yield key;
  }

  *[Symbol.iterator](): Generator<[string, Buffer]> {
    const indexes = [...this.byPrefix.values(), ...this.byText.values()].sort((a, b) => a - b);
    const read = new Map<string, Buffer>();
    for (const i of indexes) {
      const start = this.keyStarts[i]!;
      const key = this.bytes.toString('latin1', start, this.bytes.indexOf(TAB, start));
      read.set(key, this.bytes.subarray(this.starts[i], this.ends[i]));
    }
    if (this.index) {
      // The indexed records (in file order) that no later record replaced.
      const starts = [...this.index.table].filter((at) => at !== 0).sort((a, b) => a - b);
      const seen = new Set(read.keys());
      for (const start of starts) {
        const key = this.bytes.toString('latin1', start, start + KEY_LENGTH);
        const value = seen.has(key) ? undefined : this.get(key);
        seen.add(key);
        if (value) yield [key, value];
      }
    }
    yield* read;
  }
}

/** Keys in memory are found by their first 8 characters (48 bits; the index file's table uses 5). */
const PREFIX_LENGTH = 8;
const keyPrefix = (key: string) => indexKeyPrefix(key, PREFIX_LENGTH);
const bytesPrefix = (bytes: Buffer, at: number) => indexPrefix(bytes, at, PREFIX_LENGTH);

const TAB = 9;
const NEWLINE = 10;
const ZERO = 48;

/** Entries of a cache file; anything that does not add up (truncated, garbage, another version)
 * gives none. */
export function parseEntries(bytes: Buffer): FileEntries {
  return readEntries(bytes) ?? new FileEntries(bytes);
}

/** The same, or undefined when the file does not add up; with `index`, only the records after those
 * it covers are read. A loop over bytes: at 30,000 records a regular expression or a string per
 * length cost most of a rebuild's reading time (and the loop itself still some 25 ms: the index). */
function readEntries(bytes: Buffer, index?: FragmentIndex): FileEntries | undefined {
  const entries = new FileEntries(bytes, index);
  const none = undefined;
  if (bytes.length < MAGIC.length || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) return none;
  let at = Math.max(MAGIC.length, index?.covered ?? 0);
  while (at < bytes.length) {
    let tab = at;
    while (tab < bytes.length && bytes[tab] !== TAB && bytes[tab] !== NEWLINE) tab++;
    if (tab === at || tab >= bytes.length || bytes[tab] !== TAB) return none;
    let end = tab + 1;
    let length = 0;
    for (; end < bytes.length && bytes[end] !== NEWLINE; end++) {
      const digit = bytes[end]! - ZERO;
      if (digit < 0 || digit > 9 || end - tab > 10) return none;
      length = length * 10 + digit;
    }
    if (end === tab + 1 || end >= bytes.length || end + 1 + length + SUM_LENGTH > bytes.length) return none;
    // Keys are ASCII (records() writes no other), so each byte is its character.
    entries.add(at, tab, end + 1, end + 1 + length);
    at = end + 1 + length + SUM_LENGTH;
  }
  return entries;
}

let fingerprint: string | undefined;

/** Changes whenever the code that renders changes (a rebuild, an upgrade of chronicle or of the
 * libraries whose output fragments hold: Handlebars, markdown-it, dayjs for dates). */
export function renderCodeFingerprint(): string {
  fingerprint ??= codeFingerprint(['render/', 'timeline/', 'pipeline/'].map(codePath), ['handlebars', 'markdown-it', 'dayjs']);
  return fingerprint;
}
