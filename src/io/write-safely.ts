// Writing a file the user keeps by hand without ever losing it: under a lock from read to rename,
// through a temporary file in the same folder that is fsynced and then renamed over the original.
import { access, constants, stat } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { UserError } from '../errors.js';

export interface LockOptions {
  /** How long to wait for another writer, in milliseconds. */
  timeoutMs: number;
}

/** Runs `work` while holding the lock of `path` (a `<path>.lock` folder, stale after 10 s). */
export async function withFileLock<T>(path: string, name: string, options: LockOptions, work: () => Promise<T>): Promise<T> {
  let release: () => Promise<void>;
  let compromised: Error | undefined;
  const retryEveryMs = 100;
  try {
    release = await lockfile.lock(path, {
      realpath: false,
      stale: 10_000,
      retries: {
        retries: Math.max(0, Math.ceil(options.timeoutMs / retryEveryMs)),
        factor: 1,
        minTimeout: retryEveryMs,
        maxTimeout: retryEveryMs,
        randomize: true,
      },
      onCompromised: (error) => {
        compromised = error;
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new UserError(
        `${name} is locked by another chronicle process, and the lock was not released within ${Math.round(options.timeoutMs / 1000)} s`,
        {
          hint: `wait and try again; if no chronicle is running, the lock is left from a crash and goes stale by itself after 10 s (or remove ${name}.lock)`,
          cause: error,
        },
      );
    }
    throw new UserError(`cannot lock ${name}: ${(error as Error).message}`, {
      hint: 'check that the folder of the file is writable',
      cause: error,
    });
  }
  try {
    const result = await work();
    if (compromised)
      throw new UserError(`the lock on ${name} was lost while writing (${compromised.message})`, { hint: 'run the command again' });
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}

/** Refuses a file the user has made read-only (even when running as root, who could write it). */
export async function assertWritable(path: string, name: string): Promise<void> {
  const info = await stat(path);
  let writable = (info.mode & 0o222) !== 0;
  if (writable)
    writable = await access(path, constants.W_OK).then(
      () => true,
      () => false,
    );
  if (!writable)
    throw new UserError(`${name} is read-only, so nothing was added`, {
      hint: `make it writable (chmod u+w ${name}) if you mean to change it`,
    });
}

/** Temporary file beside the target, fsync, rename: a reader sees the old file or the new one. */
export async function replaceFileAtomically(path: string, name: string, text: string): Promise<void> {
  const info = await stat(path);
  try {
    await writeFileAtomic(path, text, { fsync: true, mode: info.mode & 0o7777 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message;
    throw new UserError(`cannot write ${name}: ${reason}; the file was left as it was`, {
      hint: code === 'ENOSPC' ? 'free some space and run the command again' : 'check that the folder of the file is writable',
      cause: error,
    });
  }
}
