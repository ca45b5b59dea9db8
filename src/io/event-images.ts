// The pictures of events that are files beside the events file: each is read, its type checked from
// its own bytes (image-size), its width and height read so the page does not shift as it loads, and
// it is given a content-hashed name in the site (`media/<sha256-12>.<ext>`). The pure validator
// (events/validate.ts) already refused http, SVG and other types by the name; this is the half that
// needs the file system. Problems are located in the events file as every other.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { imageSize } from 'image-size';
import type { Problem } from '../errors.js';
import { type ErrorCode, type ErrorData, renderMessage } from '../errors-data.js';
import { locateFindings } from '../events/load.js';
import type { Timeline } from '../events/model.js';
import { IMAGE_TYPES } from '../events/schema.js';
import type { Finding } from '../events/validate.js';

/** The file's own type, as the name says it (jpg and jpeg are one type). */
const EXTENSION_OF: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif' };

/** Resolves every local picture of `timeline` (in place: url, width, height, type; the bytes in
 * `timeline.media`). Returns the problems, located in `text` (the events file, shown as `file`). */
export async function resolveEventImages(timeline: Timeline, eventsPath: string, text: string, file: string): Promise<Problem[]> {
  const folder = dirname(eventsPath);
  const findings: Finding[] = [];
  const byPath = new Map<string, Promise<Resolved | { problem: ErrorCode; data: Record<string, string> }>>();
  for (const event of timeline.events) {
    const image = event.image;
    if (!image || /^https:\/\//i.test(image.src)) continue;
    const path = resolve(folder, image.src);
    let pending = byPath.get(path);
    if (!pending) {
      pending = readImage(path, image.src);
      byPath.set(path, pending);
    }
    const result = await pending;
    if ('problem' in result) {
      const { message, hint } = renderMessage(result.problem, { ...result.data, src: image.src } as ErrorData<typeof result.problem>);
      findings.push({
        severity: 'error',
        code: result.problem,
        path: ['events', event.index, 'image', 'src'],
        message,
        ...(hint ? { hint } : {}),
      });
      continue;
    }
    image.url = result.name;
    image.width = result.width;
    image.height = result.height;
    image.type = result.type;
    timeline.media ??= new Map();
    timeline.media.set(result.name, result.bytes);
  }
  return locateFindings(findings, text, file);
}

interface Resolved {
  name: string;
  bytes: Buffer;
  width: number;
  height: number;
  type: string;
}

async function readImage(path: string, src: string): Promise<Resolved | { problem: ErrorCode; data: Record<string, string> }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { problem: 'image-missing', data: { path } };
    return { problem: 'image-unreadable', data: { detail: `cannot be read: ${(error as Error).message}` } };
  }
  const named = IMAGE_TYPES[(/\.([a-z0-9]+)$/i.exec(src)?.[1]?.toLowerCase() ?? '') as keyof typeof IMAGE_TYPES];
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch {
    return {
      problem: 'image-unreadable',
      data: { detail: 'is not a picture chronicle can read (its bytes are not JPEG, PNG, WebP or GIF)' },
    };
  }
  const type = size.type === 'jpg' ? 'jpeg' : (size.type ?? '');
  if (!EXTENSION_OF[type])
    return { problem: 'image-unreadable', data: { detail: `is a ${type || 'unknown'} file, not a JPEG, PNG, WebP or GIF` } };
  if (named && type !== named)
    return { problem: 'image-unreadable', data: { detail: `is named as ${named.toUpperCase()} but its bytes are ${type.toUpperCase()}` } };
  if (!size.width || !size.height) return { problem: 'image-unreadable', data: { detail: 'has no width or height' } };
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  return { name: `media/${hash}.${EXTENSION_OF[type]}`, bytes, width: size.width, height: size.height, type };
}
