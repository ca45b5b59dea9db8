// The compiled issue (MJML → HTML), cached by the hash of its MJML source, beside the check cache:
// a rerun whose issue did not change (sending to the rest of a list, `build` after `newsletter`)
// neither loads nor runs MJML. The key covers the source, the compile options and MJML's version,
// so a hit is never stale; an unreadable or garbage entry is a miss. Best effort, like the check cache.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { evictOldest } from '../io/cache-eviction.js';
import { packageVersion } from '../pipeline/code-fingerprint.js';

const MAX_ENTRIES = 50;

export interface MjmlCache {
  key(source: string, options: unknown): string;
  read(key: string): Promise<string | undefined>;
  write(key: string, html: string): Promise<void>;
}

export function mjmlCache(cacheDir: string): MjmlCache {
  const dir = join(cacheDir, 'mjml');
  return {
    key: (source, options) =>
      createHash('sha256')
        .update(`${mjmlVersion()}\0${JSON.stringify(options)}\0`)
        .update(source)
        .digest('hex'),
    async read(key) {
      try {
        const entry = JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8')) as { html?: unknown };
        return typeof entry.html === 'string' && entry.html.length > 0 ? entry.html : undefined;
      } catch {
        return undefined;
      }
    },
    async write(key, html) {
      try {
        await mkdir(dir, { recursive: true });
        const path = join(dir, `${key}.json`);
        const temporary = `${path}.${process.pid}.tmp`;
        await writeFile(temporary, JSON.stringify({ html }));
        await rename(temporary, path);
        await evictOldest(dir, '.json', MAX_ENTRIES);
      } catch {
        // A read-only or full cache folder must not fail the issue.
      }
    },
  };
}

/** MJML's version from its package.json, read without loading MJML itself. */
const mjmlVersion = (): string => packageVersion('mjml');
