// The file-reading half of loading: what every command does first.
import { relative, resolve } from 'node:path';
import { type LoadOptions, type LoadResult, loadTimeline } from '../events/load.js';
import { readEventsFile } from './read-events-file.js';

export interface LoadedFile extends LoadResult {
  /** The name shown in problems: the path relative to cwd, as the user wrote it. */
  file: string;
  text: string;
}

export async function loadEventsFile(path: string, options: Omit<LoadOptions, 'file'> & { cwd?: string } = {}): Promise<LoadedFile> {
  const cwd = options.cwd ?? process.cwd();
  const absolute = resolve(cwd, path);
  const file = relative(cwd, absolute) || path;
  const text = await readEventsFile(absolute, file);
  const load: LoadOptions = { file, ...(options.now ? { now: options.now } : {}), ...(options.items ? { items: options.items } : {}) };
  if (options.locateWarnings === false) load.locateWarnings = false;
  const loaded = loadTimeline(text, load);
  if (loaded.timeline?.events.some((e) => e.image && !e.image.url)) {
    const { resolveEventImages } = await import('./event-images.js');
    const problems = await resolveEventImages(loaded.timeline, absolute, text, file);
    if (problems.length > 0) return { file, text, problems: [...problems, ...loaded.problems] };
  }
  return { file, text, ...loaded };
}
