// The compiled issue (MJML → HTML), cached by the hash of its MJML source, beside the check cache:
// a rerun whose issue did not change (sending to the rest of a list, `build` after `newsletter`)
// neither loads nor runs MJML. The key covers the source, the compile options and MJML's version,
// so a hit is never stale; an unreadable or garbage entry is a miss. Best effort, like the check cache.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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
        await evict(dir);
      } catch {
        // A read-only or full cache folder must not fail the issue.
      }
    },
  };
}

async function evict(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  if (names.length <= MAX_ENTRIES) return;
  const dated = await Promise.all(names.map(async (name) => ({ name, time: (await stat(join(dir, name))).mtimeMs })));
  dated.sort((a, b) => a.time - b.time);
  await Promise.all(dated.slice(0, names.length - MAX_ENTRIES).map(({ name }) => rm(join(dir, name), { force: true })));
}

let version: string | undefined;

/** MJML's version from its package.json, read without loading MJML itself. */
function mjmlVersion(): string {
  if (version) return version;
  try {
    let folder = dirname(createRequire(import.meta.url).resolve('mjml'));
    for (let i = 0; i < 4 && version === undefined; i++, folder = dirname(folder)) {
      try {
        const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'mjml') version = pkg.version;
      } catch {
        // not this folder
      }
    }
  } catch {
    // unresolvable: the key still covers the source
  }
  version ??= 'unknown';
  return version;
}
