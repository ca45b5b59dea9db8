// `chronicle check [file] [--json] [--strict] [--now DATE]`
import { relative, resolve } from 'node:path';
import { checkTimeline } from '../check-timeline.js';
import { EXIT } from '../errors.js';
import { readEventsFile } from '../io/read-events-file.js';
import { formatProblems, summarizeProblems } from '../report.js';
import { type CommandIO, parseNowOption } from './io.js';

export interface CheckOptions {
  file?: string;
  json?: boolean;
  strict?: boolean;
  now?: string;
  quiet?: boolean;
}

export async function check(options: CheckOptions, io: CommandIO): Promise<number> {
  const now = parseNowOption(options.now);
  const path = resolve(io.cwd, options.file ?? 'events.yaml');
  const file = relative(io.cwd, path) || path;
  const text = await readEventsFile(path, file);
  const result = checkTimeline(text, { file, strict: options.strict === true, ...(now ? { now } : {}) });
  if (options.json) {
    io.stdout(`${JSON.stringify(result.problems, null, 2)}\n`);
    return result.ok ? EXIT.ok : EXIT.failure;
  }
  const shown = options.quiet ? result.problems.filter((p) => p.severity === 'error') : result.problems;
  if (shown.length > 0) io.stdout(`${formatProblems(shown, { sources: new Map([[file, text]]), color: io.color })}\n\n`);
  if (!options.quiet || !result.ok) io.stdout(`${summarizeProblems(file, result.problems, result.timeline?.events.length)}\n`);
  return result.ok ? EXIT.ok : EXIT.failure;
}
