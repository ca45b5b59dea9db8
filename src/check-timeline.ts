// The check as a function of text, for scripts and editors: the same result `chronicle check` prints.
import type { Problem } from './errors.js';
import { type LoadOptions, loadTimeline } from './events/load.js';
import type { Timeline } from './events/model.js';
import { judgeProblems } from './report.js';

export interface CheckResult {
  /** No errors (and, with `strict`, no warnings). */
  ok: boolean;
  errors: number;
  warnings: number;
  problems: Problem[];
  timeline?: Timeline;
}

export function checkTimeline(text: string, options: LoadOptions & { strict?: boolean } = {}): CheckResult {
  const { timeline, problems } = loadTimeline(text, options);
  return { ...judgeProblems(problems, options.strict), problems, ...(timeline ? { timeline } : {}) };
}
