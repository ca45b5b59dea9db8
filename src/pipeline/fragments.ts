// Rendered fragments (one event's article, feed entry...) by the hash of everything they are made
// from. A fragment is a pure function of its key's inputs, so a hit is byte-identical to rendering
// again. `build` keeps the cache in a file beside the check cache; `serve` keeps it in memory.
import { hash } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evictOldest } from '../io/cache-eviction.js';
import { codeFingerprint } from './code-fingerprint.js';

export interface FragmentStore {
  /** The fragment of `key`, made (and kept) by `render` when it is not there. */
  through(key: string, render: () => string): string;
}

/** A generation of fragments: what the last build used, and what this one uses. Only the latter is
 * kept, so the cache never grows beyond one build's worth (its file, see below, at most twice that). */
export class FragmentCache implements FragmentStore {
  private previous: Map<string, string>;
  private current = new Map<string, string>();
  /** What this build rendered that the last did not: all a cache file needs appended. */
  private fresh: [string, string][] = [];
  /** Whether this build rendered anything new (else there is nothing to save). */
  changed = false;
  /** The characters of fragments in the file this cache was read from (0: no usable file). */
  readonly fileChars: number;

  constructor(entries: Map<string, string> = new Map(), fileChars = 0) {
    this.previous = entries;
    this.fileChars = fileChars;
  }

  through(key: string, render: () => string): string {
    let value = this.current.get(key) ?? this.previous.get(key);
    if (value === undefined) {
      value = render();
      this.changed = true;
      this.fresh.push([key, value]);
    }
    this.current.set(key, value);
    return value;
  }

  /** Ends a build: what it did not use is dropped. Returns what it used and what it rendered new. */
  settle(): { used: Map<string, string>; fresh: [string, string][] } {
    if (this.previous.size !== this.current.size) this.changed = true;
    const fresh = this.fresh;
    this.previous = this.current;
    this.current = new Map();
    this.fresh = [];
    return { used: this.previous, fresh };
  }
}

/** One key for several parts (NUL cannot occur in YAML text, and JSON writes it as \u0000). */
export function hashKey(...parts: string[]): string {
  return hash('sha256', parts.join('\u0000'), 'base64url');
}

// The file is a log: a first line, then records `KEY <tab> LENGTH <newline> VALUE`, LENGTH in UTF-16
// code units of VALUE. A rebuild after one edit appends the few fragments it rendered instead of
// writing every fragment again; when less than half of the file is still used it is written anew
// with only what the last build used.
const MAGIC = 'chronicle-fragments 2\n';
/** Past this a cache is not worth its own reading time: it is not written. */
const MAX_BYTES = 512 * 1024 * 1024;
const MAX_FILES = 20;

/** The saved fragments of `name`, or an empty cache when there are none or the file is damaged. */
export async function readFragmentCache(dir: string, name: string): Promise<FragmentCache> {
  try {
    // Read as bytes and decoded once: readFile's own decoding goes through a StringDecoder chunk by chunk.
    const text = (await readFile(join(dir, 'fragments', `${name}.cache`))).toString('utf8');
    const entries = parseEntries(text);
    return new FragmentCache(entries, entries.size ? text.length : 0);
  } catch {
    return new FragmentCache();
  }
}

export async function writeFragmentCache(dir: string, name: string, cache: FragmentCache): Promise<void> {
  const { used, fresh } = cache.settle();
  if (!cache.changed) return;
  try {
    const folder = join(dir, 'fragments');
    await mkdir(folder, { recursive: true });
    const path = join(folder, `${name}.cache`);
    let usedChars = 0;
    for (const value of used.values()) usedChars += value.length;
    if (usedChars > MAX_BYTES) return;
    const appended = records(fresh);
    if (cache.fileChars > 0 && cache.fileChars + appended.length <= 2 * usedChars + MAGIC.length) {
      // The file we read is still mostly in use: what is new goes at its end. (A crash halfway
      // leaves a record that does not add up: the next build ignores the file and writes it anew.)
      await appendFile(path, appended);
      return;
    }
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, MAGIC + records(used));
    await rename(temporary, path);
    await evictOldest(folder, '.cache', MAX_FILES);
  } catch {
    // A read-only home or a full disk must not fail a good build.
  }
}

function records(entries: Iterable<[string, string]>): string {
  const parts: string[] = [];
  for (const [key, value] of entries) parts.push(key, '\t', String(value.length), '\n', value);
  return parts.join('');
}

/** Entries of a cache file; anything that does not add up (truncated, garbage) gives none. */
export function parseEntries(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  if (!text.startsWith(MAGIC)) return entries;
  let at = MAGIC.length;
  while (at < text.length) {
    const tab = text.indexOf('\t', at);
    const end = tab === -1 ? -1 : text.indexOf('\n', tab);
    if (end === -1) return new Map();
    const key = text.slice(at, tab);
    const digits = text.slice(tab + 1, end);
    const length = Number(digits);
    if (key === '' || key.includes('\n') || !/^\d{1,10}$/.test(digits) || end + 1 + length > text.length) return new Map();
    entries.set(key, text.slice(end + 1, end + 1 + length));
    at = end + 1 + length;
  }
  return entries;
}

let fingerprint: string | undefined;

/** Changes whenever the code that renders changes (a rebuild, an upgrade of chronicle or of the
 * libraries whose output fragments hold: Handlebars, markdown-it, dayjs for dates). */
export function renderCodeFingerprint(): string {
  fingerprint ??= codeFingerprint(
    ['../render/', '../timeline/', './'].map((relative) => fileURLToPath(new URL(relative, import.meta.url))),
    ['handlebars', 'markdown-it', 'dayjs'],
  );
  return fingerprint;
}
