// A content-addressed cache of check results. Checking a 10,000-event file parses and validates
// megabytes of YAML; checking the same bytes again (an editor on save, `check` then `build`, a CI
// rerun) only needs to hash them. The key covers the text, "now", and the code that judges it, so a
// hit can never be stale. Best effort: any cache failure simply means a normal check.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Problem } from '../errors.js';
import { codePath } from '../own-files.js';
import { codeFingerprint as filesFingerprint } from '../pipeline/code-fingerprint.js';
import { evictOldest } from './cache-eviction.js';

export interface CachedCheck {
  /** Problems without their file name: the same bytes may be checked under another name. */
  problems: Omit<Problem, 'file'>[];
  eventCount?: number;
}

const MAX_ENTRIES = 200;

/** The cache folder, or undefined when caching is off (`CHRONICLE_CACHE=off`). */
export function checkCacheDir(env: Record<string, string | undefined>): string | undefined {
  if (/^(off|0|false|no)$/i.test(env.CHRONICLE_CACHE ?? '')) return undefined;
  if (env.CHRONICLE_CACHE_DIR) return env.CHRONICLE_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'chronicle');
}

export function checkCacheKey(text: string, now: string | undefined, today: string): string {
  return createHash('sha256')
    .update(`${codeFingerprint()}\0${now ?? `today ${today}`}\0`)
    .update(text)
    .digest('hex');
}

export async function readCachedCheck(dir: string, key: string): Promise<CachedCheck | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8')) as CachedCheck;
  } catch {
    return undefined;
  }
}

export async function writeCachedCheck(dir: string, key: string, value: CachedCheck): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${key}.json`);
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(value));
    await rename(temporary, path);
    await evictOldest(dir, '.json', MAX_ENTRIES);
  } catch {
    // A read-only home or a full disk must not turn a good check into a failure.
  }
}

let fingerprint: string | undefined;

/** Changes whenever the compiled rules change (a rebuild, an upgrade of chronicle or of the libraries
 * that read and judge: js-yaml, zod, dayjs), so old results are never reused (also the fingerprint of
 * io/item-cache-file.ts: events are read and checked by the same code). */
export function codeFingerprint(): string {
  // The rules, and the catalogue their messages come from.
  fingerprint ??= filesFingerprint([codePath('events/'), codePath('errors-data.js')], ['js-yaml', 'zod', 'dayjs']);
  return fingerprint;
}
