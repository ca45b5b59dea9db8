// Writing a build into its output folder safely: everything is rendered before anything is
// written; files go to a temporary folder beside the output (or into the files the last build
// replaced, kept in the cache: see SPARE) and are renamed into it one by one;
// files of an earlier build that are no longer made are removed, and nothing else ever is.
// Nothing outside the output folder is written or deleted: places are compared by real path, and
// no symbolic link inside the folder is ever followed (a folder that is a link stops the build
// before anything is written; a link where a file goes is replaced by the file, never written through).
import { randomBytes } from 'node:crypto';
import { constants, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import {
  type FileHandle,
  link,
  lstat,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  readlink,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { basename, dirname, join, parse, relative, resolve, sep } from 'node:path';
import { ChronicleError, chronicleError } from '../errors.js';

const MANIFEST = '.chronicle-build.json';
/** Inside a staging folder: which process writes it, so a later build knows when it is stale. */
const OWNER = '.chronicle-owner.json';
/** A staging folder with no owner file (made by an older chronicle) is stale after this long. */
const UNOWNED_STALE_MS = 10 * 60 * 1000;

/** Refuses output folders whose files a build must never mix with: the root, home, cwd or above,
 * by real path (`-o site` with `site -> .` is the current folder); and an output that is a file. */
export function checkOutputFolder(outDir: string, cwd: string, inputFile: string): void {
  const shown = outDir === '' ? '.' : outDir;
  const out = resolve(cwd, outDir);
  const real = realPathSync(out, shown);
  const existing = nearestExisting(real);
  if (!statSync(existing).isDirectory())
    throw existing === real
      ? chronicleError('output-is-file', { folder: shown })
      : chronicleError('output-under-file', { folder: shown, file: relative(cwd, existing) || existing });
  const forbidden = [parse(real).root, homedir(), cwd, dirname(resolve(cwd, inputFile))];
  for (const place of forbidden) {
    const inside = relative(real, realPathSync(place, place));
    if (inside === '' || (!inside.startsWith('..') && !inside.startsWith(sep) && !/^[a-zA-Z]:/.test(inside))) {
      throw chronicleError('output-holds-other-files', {
        folder: shown,
        holds: place === cwd ? 'the current folder' : place,
        ...(real === out ? {} : { linkTo: real }),
      });
    }
  }
}

/** Issue ids present in out/newsletter (for the archive page). */
export async function existingIssues(outDir: string): Promise<string[]> {
  const names = await readdir(join(resolve(outDir), 'newsletter')).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.html') && n !== 'index.html').map((n) => n.slice(0, -'.html'.length));
}

/** Each file is its content, or a list of parts written one after the other. */
export async function writeOutput(
  outDir: string,
  files: ReadonlyMap<string, string | Buffer | Iterable<string | Buffer>>,
  /** How messages name the folder (the -o the user gave); outDir by default. */
  shownAs = outDir,
  options: WriteOptions = {},
): Promise<void> {
  for (const name of files.keys())
    if (!isPlainRelative(name)) throw new Error(`output file name ${JSON.stringify(name)} is not a plain relative path`);
  await reportingDiskErrors(shownAs, () => writeInto(resolve(outDir), files, shownAs, options.spare, options.whenWritten));
}

export interface WriteOptions {
  /** A folder of the cache for this output folder's spare (see SPARE): the files this build replaces
   * are kept there for the next build to write into in place. Used only on the output's device. */
  spare?: string;
  /** Called once every file is written (so every part was made), before they are renamed into place. */
  whenWritten?: () => void;
}

/** The disk or the system said no (permissions, space, a name too long): a message, not a bug. */
async function reportingDiskErrors<T>(shownAs: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof ChronicleError || typeof code !== 'string' || !code.startsWith('E')) throw error;
    throw chronicleError('output-write-failed', { folder: shownAs, reason: (error as Error).message, code }, { cause: error });
  }
}

async function writeInto(
  given: string,
  files: ReadonlyMap<string, string | Buffer | Iterable<string | Buffer>>,
  shownAs: string,
  spareFolder: string | undefined,
  whenWritten?: () => void,
): Promise<void> {
  await makeOutputFolder(given, shownAs);
  const out = await realpath(given);
  const previous = await readManifest(out);
  // Newsletter issues are an archive: a build that no longer makes last month's issue keeps it.
  const removals = previous.filter((old) => !files.has(old) && !old.startsWith('newsletter/'));
  // Every check before the first write: a refused build leaves the folder as it was.
  const guard = new LinkGuard(out, shownAs);
  for (const name of [...files.keys(), MANIFEST]) await guard.assertWritable(name);
  for (const name of removals) await guard.assertFoldersReal(name);
  await removeStaleStaging(out);
  const home = spareFolder === undefined ? undefined : await spareHome(spareFolder, out);
  const keepSpare = home !== undefined;
  const spare = home && (await claimSpare(home));
  // With a spare home, a staging folder made there becomes the spare at the end (one rename).
  const staging = spare ?? (await mkdtemp(home ? join(home, CLAIMED) : join(dirname(out), stagingPrefix(out))));
  let done = false;
  try {
    // Renamed into place, so another build never reads a half-written owner file.
    await writeOwner(staging, { pid: process.pid, host: hostname() });
    if (staging === spare) await removeOthers(staging, files);
    await writeAllFiles(staging, files, staging === spare);
    whenWritten?.();
    const made = new Set([...files.keys(), ...previous.filter((f) => f.startsWith('newsletter/'))]);
    await writeFile(join(staging, MANIFEST), `${JSON.stringify({ files: [...made].sort() }, null, 2)}\n`);
    for (const name of files.keys()) await guard.makeFolders(dirname(name));
    // rename replaces a link at the target itself, never the file it points to. The files at once
    // (the thread pool runs four): a rename over the last build's file frees that file's blocks,
    // most of a rename's time (tens of ms for a 10,000-event site on a disk mounted with discard).
    // All of them settle before the staging folder is removed; the manifest goes last.
    const swap = keepSpare ? swapKeeping : rename;
    const renamed = await Promise.allSettled([...files.keys()].map((name) => swap(join(staging, name), join(out, name))));
    for (const result of renamed) if (result.status === 'rejected') throw result.reason;
    await rename(join(staging, MANIFEST), join(out, MANIFEST));
    for (const old of removals) {
      await guard.assertFoldersReal(old);
      // unlink removes a file or a link, never a folder nor what a link points to.
      await unlink(join(out, old)).catch(() => undefined);
    }
    done = true;
  } finally {
    if (!(done && home && (await keepAsSpare(staging, home)))) await rm(staging, { recursive: true, force: true });
  }
}

/** Makes `rel` (e.g. `newsletter/2025-01`) inside the output folder for files written one by one
 * (per-reader messages): its folders must be real (no link), and it may hold no link, so writing a
 * file in it never lands elsewhere. Returns its path. */
export async function prepareOutputFolder(outDir: string, rel: string, shownAs = outDir): Promise<string> {
  if (!isPlainRelative(rel)) throw new Error(`output folder name ${JSON.stringify(rel)} is not a plain relative path`);
  return reportingDiskErrors(shownAs, () => prepareFolder(resolve(outDir), rel, shownAs));
}

async function prepareFolder(given: string, rel: string, shownAs: string): Promise<string> {
  await makeOutputFolder(given, shownAs);
  const out = await realpath(given);
  const guard = new LinkGuard(out, shownAs);
  await guard.makeFolders(rel);
  const folder = join(out, rel);
  for (const entry of await readdir(folder, { withFileTypes: true }))
    if (entry.isSymbolicLink()) {
      const path = join(folder, entry.name);
      const target = await readlink(path).catch(() => '?');
      throw chronicleError('output-link-inside', { folder: shownAs, path: join(shownAs, rel, entry.name), target });
    }
  return folder;
}

/** Checks the folders between the output folder and its files: each is a real folder (not a link,
 * not a file) or does not exist yet; made one level at a time so no link is followed. */
class LinkGuard {
  private readonly seen = new Map<string, 'folder' | 'missing'>();

  constructor(
    private readonly out: string,
    private readonly outDir: string,
  ) {}

  async assertWritable(name: string): Promise<void> {
    await this.assertFoldersReal(name);
    const info = await lstat(join(this.out, name)).catch(() => undefined);
    if (info?.isDirectory()) throw chronicleError('output-folder-in-the-way', { folder: this.outDir, path: this.shown(name) });
  }

  async assertFoldersReal(name: string): Promise<void> {
    const parts = name.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) if ((await this.folderState(parts.slice(0, i).join('/'))) === 'missing') return;
  }

  async makeFolders(folder: string): Promise<void> {
    if (folder === '.' || folder === '') return;
    const parts = folder.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const rel = parts.slice(0, i).join('/');
      if ((await this.folderState(rel, true)) === 'missing') {
        await mkdir(join(this.out, rel)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        });
        this.seen.delete(rel);
        await this.folderState(rel);
      }
    }
  }

  private async folderState(rel: string, fresh = false): Promise<'folder' | 'missing'> {
    const known = this.seen.get(rel);
    if (known && !fresh) return known;
    const path = join(this.out, rel);
    const info = await lstat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (info?.isSymbolicLink()) {
      const target = await readlink(path).catch(() => '?');
      throw chronicleError('output-link-inside', { folder: this.outDir, path: this.shown(rel), target });
    }
    if (info && !info.isDirectory()) throw chronicleError('output-file-in-the-way', { folder: this.outDir, path: this.shown(rel) });
    const state = info ? 'folder' : 'missing';
    this.seen.set(rel, state);
    return state;
  }

  private shown(rel: string): string {
    return join(this.outDir, rel);
  }
}

/** Staging folders of builds that were killed (SIGKILL, power loss) are removed by the next build:
 * only folders named as ours, real folders (not links) of this user, whose owner process is gone
 * (same machine), or with no owner file and untouched for ten minutes. A live build's are kept. */
async function removeStaleStaging(out: string): Promise<void> {
  const parent = dirname(out);
  const pattern = new RegExp(`^${escapeRegExp(stagingPrefix(out))}[A-Za-z0-9]{6}$`);
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const path = join(parent, name);
    try {
      const info = await lstat(path);
      if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid())) continue;
      const owner = await readOwner(path);
      const stale = owner ? ownerGone(owner) : Date.now() - info.mtimeMs > UNOWNED_STALE_MS;
      // rm does not follow links inside the folder: it removes the links themselves.
      if (stale) await rm(path, { recursive: true, force: true });
    } catch {
      // Cleaning up is a courtesy: it never stops a build.
    }
  }
}

type Owner = { pid?: unknown; host?: unknown; spare?: unknown };

/** A staging folder's (or a claimed spare's) owner file, or undefined (none, or not JSON). */
function readOwner(folder: string): Promise<Owner | undefined> {
  return readFile(join(folder, OWNER), 'utf8').then(
    (text) => JSON.parse(text) as Owner,
    () => undefined,
  );
}

/** Whether an owner is a process of this machine that is gone. */
function ownerGone(owner: Owner): boolean {
  return owner.host === hostname() && typeof owner.pid === 'number' && !isAlive(owner.pid);
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function makeOutputFolder(out: string, outDir: string): Promise<void> {
  const info = await stat(out).catch(() => undefined);
  if (info && !info.isDirectory()) throw chronicleError('output-is-file', { folder: outDir });
  if (info) return;
  await mkdir(out, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST' || error.code === 'ENOTDIR')
      throw chronicleError(
        'output-unusable',
        { folder: outDir, reason: 'it, or a folder above it, is a file or a broken link' },
        { cause: error },
      );
    throw error;
  });
}

/** Files written at once: the thread pool (4 threads) writes some while the next is rendered. */
const FILES_IN_FLIGHT = 4;

/** Every file into the staging folder, a few at a time: a file's parts are made (rendered) as they
 * are written, so the main thread renders one file while the thread pool writes others. One
 * failure stops new files; those under way finish first, so the staging folder can be removed. */
async function writeAllFiles(
  staging: string,
  files: ReadonlyMap<string, string | Buffer | Iterable<string | Buffer>>,
  inPlace: boolean,
): Promise<void> {
  const writing = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for (const [name, content] of files) {
    if (failure) break;
    const target = join(staging, name);
    const write = (async () => {
      await mkdir(dirname(target), { recursive: true });
      const parts = typeof content === 'string' || Buffer.isBuffer(content) ? [content] : content;
      await writeParts(target, parts, inPlace && (await isOnlyName(target)));
    })().catch((error: unknown) => {
      failure ??= { error };
    });
    writing.add(write);
    void write.then(() => writing.delete(write));
    if (writing.size >= FILES_IN_FLIGHT) await Promise.race(writing);
  }
  await Promise.all(writing);
  if (failure) throw failure.error;
}

/** Parts are gathered into batches of about this many bytes, each written with one writev. */
const BATCH_BYTES = 1 << 20;

/** A file's parts (text or bytes), in batches: while one batch is being written by the thread pool,
 * the next is made (the parts are rendered as they are read), so rendering and writing overlap. */
async function writeParts(path: string, parts: Iterable<string | Buffer>, inPlace = false): Promise<void> {
  // In place: over the file's own blocks, cut to its new length at the end (see SPARE). O_NOFOLLOW:
  // isOnlyName saw a file, and a link put there since is refused rather than written through.
  const handle = await open(path, inPlace ? constants.O_WRONLY | constants.O_NOFOLLOW : 'w');
  let written = 0;
  try {
    let batch: Buffer[] = [];
    let size = 0;
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      const buffers = batch;
      batch = [];
      size = 0;
      await writing;
      writing = writeAll(handle, buffers);
      // Awaited at the next flush or at the end; until then a failure must not count as unhandled.
      writing.catch(() => undefined);
    };
    for (const part of parts) {
      const bytes = typeof part === 'string' ? Buffer.from(part) : part;
      if (bytes.length === 0) continue;
      batch.push(bytes);
      size += bytes.length;
      written += bytes.length;
      if (size >= BATCH_BYTES) await flush();
    }
    if (batch.length) await flush();
    await writing;
    if (inPlace) await handle.truncate(written);
  } finally {
    await handle.close();
  }
}

/** writev writes everything at once on a regular file; should it ever write less, the rest follows. */
async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  const total = buffers.reduce((sum, b) => sum + b.length, 0);
  const { bytesWritten } = await handle.writev(buffers);
  if (bytesWritten >= total) return;
  let rest = Buffer.concat(buffers).subarray(bytesWritten);
  while (rest.length > 0) {
    const { bytesWritten: more } = await handle.write(rest);
    rest = rest.subarray(more);
  }
}

async function readManifest(out: string): Promise<string[]> {
  try {
    const manifest = JSON.parse(await readFile(join(out, MANIFEST), 'utf8')) as { files?: unknown };
    // Only plain relative names: a doctored manifest must not make us delete elsewhere.
    return Array.isArray(manifest.files) ? manifest.files.filter((f): f is string => typeof f === 'string' && isPlainRelative(f)) : [];
  } catch {
    return [];
  }
}

/** `a/b.html`: no empty, `.` or `..` part, not absolute, no backslash. */
function isPlainRelative(name: string): boolean {
  return (
    name !== '' &&
    !name.includes('\\') &&
    !name.includes('\0') &&
    name.split('/').every((part) => part !== '' && part !== '.' && part !== '..')
  );
}

/** The real path of `path`, which may not exist yet: its nearest existing ancestor, resolved. */
function realPathSync(path: string, shown: string): string {
  const rest: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(realpathSync.native(at), ...rest.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const parent = dirname(at);
      if (code === 'ENOENT' && lstatSync(at, { throwIfNoEntry: false })?.isSymbolicLink())
        throw chronicleError('output-broken-link', { folder: shown, link: at, target: readlinkSync(at) });
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === at)
        throw chronicleError('output-unusable', { folder: shown, reason: (error as Error).message }, { cause: error });
      rest.push(basename(at));
      at = parent;
    }
  }
}

/** The path itself if it exists, else its nearest ancestor that does. */
function nearestExisting(path: string): string {
  let at = path;
  while (!exists(at) && dirname(at) !== at) at = dirname(at);
  return at;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

// SPARE: the files a build replaces, kept for the next. Replacing a file by renaming a new one over
// it frees the old file's blocks, and writing the new one takes fresh blocks: on a disk mounted with
// `discard` (most cloud machines) that made the renames of a 10,000-event site (33 files, 23 MB) its
// slowest step. With a spare, each output file has two generations: the one in the output folder and
// the one it replaced, kept in the cache (`<cache>/spare/<hash of the output folder>/spare0`, only
// when the cache is on the output's device: files move between them by rename and hard link). The
// next build claims that folder (one rename: two builds at once cannot both get it), writes each
// file into the old generation's blocks, and swaps: a second name for the file in the output folder
// keeps it alive as the next spare while the new one is renamed over its name (each file still
// changes at once for a reader). A file is written in place only when the spare's name is its only
// name: one the user linked elsewhere (`cp -al` snapshots) is never written into. Never beside the
// output: a copy of the last site there would be committed or published with it.
const SPARE = 'spare0';
/** The name of a spare (or a staging folder) a build has claimed, before its random part. */
const CLAIMED = 'claim-';

/** The folder for this output's spares, made if need be: a real folder of this user on the output
 * folder's device; else undefined (no spare: the build renames as it would without). Claims that
 * killed builds left there are removed. */
async function spareHome(folder: string, out: string): Promise<string | undefined> {
  try {
    await mkdir(folder, { recursive: true });
    const [info, outInfo] = await Promise.all([lstat(folder), stat(out)]);
    if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid()) || info.dev !== outInfo.dev) return undefined;
    await removeStaleClaims(folder);
    return folder;
  } catch {
    return undefined;
  }
}

/** The spare of `home`, claimed (renamed to a name of this build's own), or undefined. */
async function claimSpare(home: string): Promise<string | undefined> {
  const kept = join(home, SPARE);
  const info = await lstat(kept).catch(() => undefined);
  if (!info?.isDirectory()) return undefined;
  const claimed = join(home, `${CLAIMED}${randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 6)}`);
  if (await lstat(claimed).catch(() => undefined)) return undefined;
  if (!(await succeeded(rename(kept, claimed)))) return undefined;
  // What was renamed is what is used: a real folder of this user (not one swapped in meanwhile).
  const now = await lstat(claimed).catch(() => undefined);
  if (now?.isDirectory() && !(process.getuid && now.uid !== process.getuid())) return claimed;
  await rm(claimed, { recursive: true, force: true }).catch(() => undefined);
  return undefined;
}

/** Keeps the staging folder (now the replaced files) as the spare; false when it cannot be. */
async function keepAsSpare(staging: string, home: string): Promise<boolean> {
  try {
    await writeOwner(staging, { spare: true, host: hostname() });
    await unlink(join(staging, MANIFEST)).catch(() => undefined);
    // A spare kept by another build meanwhile: renaming onto its folder fails (not empty).
    await rename(staging, join(home, SPARE));
    await evictOldSpares(dirname(home), home);
    return true;
  } catch {
    return false;
  }
}

/** Spares kept for this many output folders at most (each is a copy of its site). */
const MAX_SPARES = 4;

/** The spares of the output folders built longest ago, beyond MAX_SPARES: each is claimed first (a
 * rename: one a build is using cannot be taken from it), then removed. */
async function evictOldSpares(root: string, mine: string): Promise<void> {
  const homes = await readdir(root).catch(() => [] as string[]);
  if (homes.length <= MAX_SPARES) return;
  const dated: { home: string; time: number }[] = [];
  for (const name of homes) {
    const home = join(root, name);
    if (home === mine) continue;
    const info = await lstat(join(home, SPARE)).catch(() => undefined);
    dated.push({ home, time: info?.isDirectory() ? info.mtimeMs : 0 });
  }
  dated.sort((a, b) => b.time - a.time);
  for (const { home } of dated.slice(MAX_SPARES - 1)) {
    const claimed = join(home, `${CLAIMED}evicted`);
    if (await succeeded(rename(join(home, SPARE), claimed))) await rm(claimed, { recursive: true, force: true });
    // The home itself goes once nothing else is in it (a build's claim keeps it).
    await rmdir(home).catch(() => undefined);
  }
}

/** Claims of builds that were killed: their owner process is gone (same machine), or they were
 * claimed (a rename changes the folder's ctime) more than ten minutes ago and hold no live owner. */
async function removeStaleClaims(home: string): Promise<void> {
  for (const name of await readdir(home).catch(() => [] as string[])) {
    if (!name.startsWith(CLAIMED)) continue;
    const path = join(home, name);
    try {
      const info = await lstat(path);
      if (!info.isDirectory()) continue;
      const owner = await readOwner(path);
      const dead = owner !== undefined && ownerGone(owner);
      const live = typeof owner?.pid === 'number' && !dead;
      if (dead || (!live && Date.now() - info.ctimeMs > UNOWNED_STALE_MS)) await rm(path, { recursive: true, force: true });
    } catch {
      // Cleaning up is a courtesy: it never stops a build.
    }
  }
}

/** Who a staging folder is for, renamed into place so it is never read half-written. The temporary
 * name is made anew (O_EXCL): whatever was there, a link included, is never written through. */
async function writeOwner(staging: string, owner: object): Promise<void> {
  const temporary = join(staging, `${OWNER}.tmp`);
  await rm(temporary, { force: true, recursive: true });
  await writeFile(temporary, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
  await rename(temporary, join(staging, OWNER));
}

/** Removes from a claimed spare whatever this build does not write (files of outputs no longer
 * made, folders, links): what stays is renamed into the output folder. */
async function removeOthers(staging: string, files: ReadonlyMap<string, unknown>): Promise<void> {
  const entries = await readdir(staging, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const rel = relative(staging, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (rel === OWNER || entry.isDirectory()) continue;
    if (!entry.isFile() || !files.has(rel)) await rm(join(staging, rel), { force: true });
  }
}

/** Whether `path` is a file with no other name (so writing into it changes nothing else); anything
 * else there (a link, a folder, a file with another name) is removed, and the file is made anew. */
async function isOnlyName(path: string): Promise<boolean> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return false;
  if (!info.isFile() || info.nlink !== 1) await rm(path, { recursive: true, force: true });
  return info.isFile() && info.nlink === 1;
}

/** Whether an operation (a rename, a link) succeeded: a failed claim or link is a path not taken. */
function succeeded(operation: Promise<unknown>): Promise<boolean> {
  return operation.then(
    () => true,
    () => false,
  );
}

/** Renames `from` over `to`, keeping the file at `to` (when it is one) under the name `from`: the
 * output folder gets the new file at once, and the old one stays for the next build. */
async function swapKeeping(from: string, to: string): Promise<void> {
  const old = await lstat(to).catch(() => undefined);
  if (!old?.isFile()) return rename(from, to);
  const kept = `${from}.chronicle-old`;
  // No second name (a file system without hard links): the old file goes as it always went.
  if (!(await succeeded(link(to, kept)))) return rename(from, to);
  await rename(from, to);
  await rename(kept, from);
}

/** `.out.chronicle-` beside `out`; a long name is cut so the staging name stays a valid file name. */
function stagingPrefix(out: string): string {
  return `.${basename(out).slice(0, 100)}.chronicle-`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
