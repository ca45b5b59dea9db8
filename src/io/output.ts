// Writing a build into its output folder safely: everything is rendered before anything is
// written; files go to a temporary folder beside the output and are renamed into it one by one;
// files of an earlier build that are no longer made are removed, and nothing else ever is.
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, parse, relative, resolve, sep } from 'node:path';
import { chronicleError, UserError } from '../errors.js';

const MANIFEST = '.chronicle-build.json';

/** Refuses output folders whose files a build must never mix with: the root, home, cwd or above. */
export function checkOutputFolder(outDir: string, cwd: string, inputFile: string): void {
  const out = resolve(cwd, outDir);
  const forbidden = [parse(out).root, homedir(), cwd, dirname(resolve(cwd, inputFile))];
  for (const place of forbidden) {
    const inside = relative(out, place);
    if (inside === '' || (!inside.startsWith('..') && !inside.startsWith(sep) && !/^[a-zA-Z]:/.test(inside))) {
      throw new UserError(
        `refusing to build into ${outDir === '' ? '.' : outDir}: it holds ${place === cwd ? 'the current folder' : place} and files that are not the build's`,
        {
          hint: 'build into a folder of its own, e.g. -o out',
        },
      );
    }
  }
}

/** Each file is its content, or a list of parts written one after the other. */
/** Issue ids present in out/newsletter (for the archive page). */
export async function existingIssues(outDir: string): Promise<string[]> {
  const names = await readdir(join(resolve(outDir), 'newsletter')).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.html') && n !== 'index.html').map((n) => n.slice(0, -'.html'.length));
}

export async function writeOutput(outDir: string, files: ReadonlyMap<string, string | Buffer | Iterable<string>>): Promise<void> {
  const out = resolve(outDir);
  // A file in the way (`-o events.yaml`, or a file among its parents) is the user's, and said so.
  await mkdir(out, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EEXIST' || error.code === 'ENOTDIR' ? chronicleError('output-is-file', { folder: outDir }) : error;
  });
  if (!(await stat(out)).isDirectory()) throw chronicleError('output-is-file', { folder: outDir });
  const previous = await readManifest(out);
  const staging = await mkdtemp(join(dirname(out), `.${parse(out).base}.chronicle-`));
  try {
    for (const [name, content] of files) {
      const target = join(staging, name);
      await mkdir(dirname(target), { recursive: true });
      if (typeof content === 'string' || Buffer.isBuffer(content)) await writeFile(target, content);
      else await writeParts(target, content);
    }
    const made = new Set([...files.keys(), ...previous.filter((f) => f.startsWith('newsletter/'))]);
    await writeFile(join(staging, MANIFEST), `${JSON.stringify({ files: [...made].sort() }, null, 2)}\n`);
    for (const name of [...files.keys(), MANIFEST]) {
      await mkdir(dirname(join(out, name)), { recursive: true });
      await rename(join(staging, name), join(out, name));
    }
    // Newsletter issues are an archive: a build that no longer makes last month's issue keeps it.
    for (const old of previous) if (!files.has(old) && !old.startsWith('newsletter/')) await rm(join(out, old), { force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function writeParts(path: string, parts: Iterable<string>): Promise<void> {
  const handle = await open(path, 'w');
  try {
    for (const part of parts) await handle.write(part);
  } finally {
    await handle.close();
  }
}

async function readManifest(out: string): Promise<string[]> {
  try {
    const manifest = JSON.parse(await readFile(join(out, MANIFEST), 'utf8')) as { files?: unknown };
    // Only plain relative names: a doctored manifest must not make us delete elsewhere.
    return Array.isArray(manifest.files)
      ? manifest.files.filter((f): f is string => typeof f === 'string' && !f.includes('..') && !f.startsWith('/'))
      : [];
  } catch {
    return [];
  }
}
