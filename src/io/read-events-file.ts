// Reads an events file as text: UTF-8 only (a BOM is fine), with a clear error for anything else.

import { isUtf8 } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import { UserError } from '../errors.js';

/** Large enough for 100,000 rich events (about 80 MB), small enough to stay far from V8's string limit. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

export async function readEventsFile(path: string, displayName = path): Promise<string> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory())
      throw new UserError(`cannot read ${displayName}: it is a folder`, {
        hint: 'give the path of the events file, e.g. chronicle check events.yaml',
      });
    if (info.size > MAX_FILE_BYTES) {
      throw new UserError(
        `cannot read ${displayName}: it is ${megabytes(info.size)}, more than the ${megabytes(MAX_FILE_BYTES)} chronicle reads`,
        {
          hint: 'split the timeline into several files, or check that this is the right file',
        },
      );
    }
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(describeReadError(error, displayName), { hint: readHint(error), cause: error });
  }
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, offset);
    const line = before.filter((b) => b === 0x0a).length + 1;
    throw new UserError(`cannot read ${displayName}: line ${line} has bytes that are not UTF-8 (byte ${offset + 1} of the file)`, {
      hint: 'save the file as UTF-8 (most editors: "Save with encoding" > UTF-8)',
    });
  }
  return bytes.toString('utf8');
}

function describeReadError(error: unknown, name: string): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return `cannot read ${name}: the file does not exist`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot read ${name}: permission denied`;
  if (code === 'EISDIR') return `cannot read ${name}: it is a folder`;
  return `cannot read ${name}: ${(error as Error)?.message ?? String(error)}`;
}

function readHint(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT')
    return 'give the path of your events file (chronicle check path/to/events.yaml), or run the command in the folder that holds events.yaml';
  if (code === 'EACCES' || code === 'EPERM') return 'check the permissions of the file (ls -l) and that you may read it';
  return undefined;
}

/** The offset of the first byte that breaks UTF-8 (the file is known to be invalid). */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const size = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (size === 0 || i + size > bytes.length || !isUtf8(bytes.subarray(i, i + size))) return i;
    i += size;
  }
  return i;
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
