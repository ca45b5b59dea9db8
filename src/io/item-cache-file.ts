// The item cache of `build` (events/item-cache.ts) in a file beside the check cache, one file per
// events file. A damaged or truncated file is never trusted: it reads as an empty cache and is
// written again after the build.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ItemCache, type ItemEntry } from '../events/item-cache.js';
import { codeFingerprint } from './check-cache.js';

const MAGIC = 'chronicle-items 1\n';
/** Past this a cache is not worth its own reading time: it is not written. */
const MAX_BYTES = 256 * 1024 * 1024;
const MAX_FILES = 20;

/** The saved items of `name` (a hash of the events file's path), or an empty cache. */
export async function readItemCache(dir: string, name: string): Promise<ItemCache> {
  let entries: ItemEntry[] = [];
  try {
    entries = parseItemEntries(await readFile(join(dir, 'items', `${name}.cache`), 'utf8'));
  } catch {
    // No file yet, or one we cannot read: start empty.
  }
  return new ItemCache(codeFingerprint(), entries);
}

export async function writeItemCache(dir: string, name: string, cache: ItemCache): Promise<void> {
  if (!cache.changed) return;
  try {
    const text = `${MAGIC}${JSON.stringify([...cache.entries()])}\n`;
    if (text.length > MAX_BYTES) return;
    const folder = join(dir, 'items');
    await mkdir(folder, { recursive: true });
    const path = join(folder, `${name}.cache`);
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, path);
    await evictOldFiles(folder);
  } catch {
    // A read-only home or a full disk must not fail a good build.
  }
}

/** Entries of a cache file; anything that does not have the right shape (truncated, garbage) gives none. */
export function parseItemEntries(text: string): ItemEntry[] {
  if (!text.startsWith(MAGIC) || !text.endsWith(']\n')) return [];
  let entries: unknown;
  try {
    entries = JSON.parse(text.slice(MAGIC.length));
  } catch {
    return [];
  }
  if (!Array.isArray(entries)) return [];
  for (const entry of entries) {
    if (!Array.isArray(entry) || entry.length !== 3 || typeof entry[0] !== 'string' || !Number.isInteger(entry[1]) || entry[1] < 0)
      return [];
  }
  return entries as ItemEntry[];
}

async function evictOldFiles(folder: string): Promise<void> {
  const names = (await readdir(folder)).filter((n) => n.endsWith('.cache'));
  if (names.length <= MAX_FILES) return;
  const dated = await Promise.all(names.map(async (name) => ({ name, time: (await stat(join(folder, name))).mtimeMs })));
  dated.sort((a, b) => a.time - b.time);
  await Promise.all(dated.slice(0, names.length - MAX_FILES).map(({ name }) => rm(join(folder, name), { force: true })));
}
