// Rendered fragments (one event's article, feed entry...) by the hash of everything they are made
// from. A fragment is a pure function of its key's inputs, so a hit is byte-identical to rendering
// again. `build` keeps the cache in a file beside the check cache; `serve` keeps it in memory.
import { hash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FragmentStore {
  /** The fragment of `key`, made (and kept) by `render` when it is not there. */
  through(key: string, render: () => string): string;
}

/** A generation of fragments: what the last build used, and what this one uses. Only the latter is
 * kept, so the cache never grows beyond one build's worth. */
export class FragmentCache implements FragmentStore {
  private previous: Map<string, string>;
  private current = new Map<string, string>();
  /** Whether this build rendered anything new (else there is nothing to save). */
  changed = false;

  constructor(entries: Map<string, string> = new Map()) {
    this.previous = entries;
  }

  through(key: string, render: () => string): string {
    let value = this.current.get(key) ?? this.previous.get(key);
    if (value === undefined) {
      value = render();
      this.changed = true;
    }
    this.current.set(key, value);
    return value;
  }

  /** Ends a build: what it did not use is dropped. */
  settle(): Map<string, string> {
    if (this.previous.size !== this.current.size) this.changed = true;
    this.previous = this.current;
    this.current = new Map();
    return this.previous;
  }
}

/** One key for several parts (NUL cannot occur in YAML text, and JSON writes it as \u0000). */
export function hashKey(...parts: string[]): string {
  return hash('sha256', parts.join('\u0000'), 'base64url');
}

const MAGIC = 'chronicle-fragments 1\n';
/** Past this a cache is not worth its own reading time: it is not written. */
const MAX_BYTES = 512 * 1024 * 1024;
const MAX_FILES = 20;

/** The saved fragments of `name`, or an empty cache when there are none or the file is damaged. */
export async function readFragmentCache(dir: string, name: string): Promise<FragmentCache> {
  try {
    const text = await readFile(join(dir, 'fragments', `${name}.cache`), 'utf8');
    return new FragmentCache(parseEntries(text));
  } catch {
    return new FragmentCache();
  }
}

export async function writeFragmentCache(dir: string, name: string, cache: FragmentCache): Promise<void> {
  const entries = cache.settle();
  if (!cache.changed) return;
  try {
    const folder = join(dir, 'fragments');
    await mkdir(folder, { recursive: true });
    const keys: [string, number][] = [];
    let bytes = 0;
    for (const [key, value] of entries) {
      keys.push([key, value.length]);
      bytes += value.length;
    }
    if (bytes > MAX_BYTES) return;
    const path = join(folder, `${name}.cache`);
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, [MAGIC, JSON.stringify(keys), '\n', ...entries.values()].join(''));
    await rename(temporary, path);
    await evictOldFiles(folder);
  } catch {
    // A read-only home or a full disk must not fail a good build.
  }
}

/** Entries of a cache file; anything that does not add up (truncated, garbage) gives none. */
export function parseEntries(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  if (!text.startsWith(MAGIC)) return entries;
  const end = text.indexOf('\n', MAGIC.length);
  if (end === -1) return entries;
  let keys: unknown;
  try {
    keys = JSON.parse(text.slice(MAGIC.length, end));
  } catch {
    return entries;
  }
  if (!Array.isArray(keys)) return entries;
  let at = end + 1;
  for (const entry of keys) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Number.isInteger(entry[1]) || entry[1] < 0) return new Map();
    entries.set(entry[0], text.slice(at, at + entry[1]));
    at += entry[1];
  }
  return at === text.length ? entries : new Map();
}

async function evictOldFiles(folder: string): Promise<void> {
  const names = (await readdir(folder)).filter((n) => n.endsWith('.cache'));
  if (names.length <= MAX_FILES) return;
  const dated = await Promise.all(names.map(async (name) => ({ name, time: (await stat(join(folder, name))).mtimeMs })));
  dated.sort((a, b) => a.time - b.time);
  await Promise.all(dated.slice(0, names.length - MAX_FILES).map(({ name }) => rm(join(folder, name), { force: true })));
}

let fingerprint: string | undefined;

/** Changes whenever the code that renders changes (a rebuild, an upgrade). */
export function renderCodeFingerprint(): string {
  if (fingerprint) return fingerprint;
  const parts: string[] = [];
  for (const relative of ['../render/', '../timeline/', './']) {
    const folder = fileURLToPath(new URL(relative, import.meta.url));
    for (const name of readdirSync(folder).sort()) {
      const info = statSync(join(folder, name));
      parts.push(`${relative}${name}:${info.size}:${info.mtimeMs}`);
    }
  }
  fingerprint = parts.join('|');
  return fingerprint;
}
