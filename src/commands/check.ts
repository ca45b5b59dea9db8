// `chronicle check [file] [--json] [--strict] [--now DATE] [--no-cache]`
import { relative, resolve } from 'node:path';
import { EXIT, type Problem } from '../errors.js';
import { todayIso } from '../events/today.js';
import { checkCacheDir, checkCacheKey, readCachedCheck, writeCachedCheck } from '../io/check-cache.js';
import { readEventsFile } from '../io/read-events-file.js';
import { formatProblems, judgeProblems, summarizeProblems } from '../report.js';
import type { CommandIO } from './io.js';

export interface CheckOptions {
  file?: string;
  json?: boolean;
  strict?: boolean;
  now?: string;
  quiet?: boolean;
  /** `--no-cache`: always parse and validate. */
  cache?: boolean;
}

export async function check(options: CheckOptions, io: CommandIO): Promise<number> {
  const now = options.now === undefined ? undefined : (await import('./options.js')).parseNowOption(options.now);
  const path = resolve(io.cwd, options.file ?? 'events.yaml');
  const rerun = await io.rerunIfLarge?.(path);
  if (rerun !== undefined) return rerun;
  const file = relative(io.cwd, path) || path;
  const text = await readEventsFile(path, file);
  const { problems, eventCount } = await checkText(text, file, now, options.cache === false ? undefined : checkCacheDir(io.env));
  // Picture files beside the events file are checked every time (the cache knows only the text).
  if (/\bimage["']?\s*:/.test(text) && !problems.some((p) => p.severity === 'error')) {
    const [{ loadTimeline }, { resolveEventImages }] = await Promise.all([import('../events/load.js'), import('../io/event-images.js')]);
    const { timeline } = loadTimeline(text, { file, locateWarnings: false, ...(now ? { now } : {}) });
    if (timeline) problems.unshift(...(await resolveEventImages(timeline, path, text, file)));
  }
  const { ok } = judgeProblems(problems, options.strict);
  if (options.json) {
    io.stdout(`${JSON.stringify(problems, null, 2)}\n`);
    return ok ? EXIT.ok : EXIT.failure;
  }
  const shown = options.quiet ? problems.filter((p) => p.severity === 'error') : problems;
  if (shown.length > 0) io.stdout(`${formatProblems(shown, { sources: new Map([[file, text]]), color: io.color })}\n\n`);
  if (!options.quiet || !ok) io.stdout(`${summarizeProblems(file, problems, eventCount)}\n`);
  return ok ? EXIT.ok : EXIT.failure;
}

/** The check itself, through the cache when there is one: the loader is imported only on a miss. */
async function checkText(
  text: string,
  file: string,
  now: string | undefined,
  cacheDir: string | undefined,
): Promise<{ problems: Problem[]; eventCount?: number }> {
  const key = cacheDir ? checkCacheKey(text, now, todayIso()) : undefined;
  const cached = cacheDir && key ? await readCachedCheck(cacheDir, key) : undefined;
  if (cached)
    return {
      problems: cached.problems.map((p) => ({ ...p, file })),
      ...(cached.eventCount !== undefined ? { eventCount: cached.eventCount } : {}),
    };
  const { loadTimeline } = await import('../events/load.js');
  const { timeline, problems } = loadTimeline(text, { file, ...(now ? { now } : {}) });
  const eventCount = timeline?.events.length;
  if (cacheDir && key) {
    await writeCachedCheck(cacheDir, key, {
      problems: problems.map(({ file: _file, ...rest }) => rest),
      ...(eventCount !== undefined ? { eventCount } : {}),
    });
  }
  return { problems, ...(eventCount !== undefined ? { eventCount } : {}) };
}
