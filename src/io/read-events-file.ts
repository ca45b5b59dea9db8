// Reads an events file as text: UTF-8 only (a BOM is fine), with a clear error for anything else.

import { isAscii, isUtf8 } from 'node:buffer';
import { stat } from 'node:fs/promises';
import { ChronicleError, chronicleError } from '../errors.js';
import { readWhole } from './read-whole.js';

/** Large enough for 100,000 rich events (about 80 MB), small enough to stay far from V8's string limit. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

export async function readEventsFile(path: string, displayName = path): Promise<string> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw chronicleError('file-is-folder', { file: displayName });
    if (info.size > MAX_FILE_BYTES)
      throw chronicleError('file-too-big', { file: displayName, size: megabytes(info.size), limit: megabytes(MAX_FILE_BYTES) });
    bytes = await readWhole(path);
  } catch (error) {
    if (error instanceof ChronicleError) throw error;
    throw readError(error, displayName);
  }
  // Plain ASCII (most files) is the same text in Latin-1, whose decoding is a copy: a large file is
  // read several times faster than through the UTF-8 decoder.
  if (isAscii(bytes)) return bytes.toString('latin1');
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, offset).filter((b) => b === 0x0a).length + 1;
    throw chronicleError('not-utf8', { file: displayName, line, byte: offset + 1 }, { location: { file: displayName, line, column: 1 } });
  }
  return bytes.toString('utf8');
}

/** The error for a file that cannot be read (also used by `add` before it takes the lock). */
export function readError(error: unknown, file: string): ChronicleError {
  const code = (error as NodeJS.ErrnoException)?.code;
  // A dangling symlink stats as ENOENT too: for the user it is a file that is not there.
  if (code === 'ENOENT' || code === 'ENOTDIR') return chronicleError('file-not-found', { file }, { cause: error });
  if (code === 'EISDIR') return chronicleError('file-is-folder', { file }, { cause: error });
  const permission = code === 'EACCES' || code === 'EPERM';
  const reason = permission ? 'permission denied' : ((error as Error)?.message ?? String(error));
  return chronicleError('file-unreadable', { file, reason, ...(permission ? { permission } : {}) }, { cause: error });
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
