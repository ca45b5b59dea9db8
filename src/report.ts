// Problems for people: `file:line:col  path  message`, a hint, and a code frame with a caret under
// the column; then a one-line summary. Pure: returns strings, the commands print them.

import { isAbsolute, relative } from 'node:path';
import { type ChronicleError, describeError, type Problem } from './errors.js';
import { type OptionName, optionKey } from './errors-data.js';
import { LineIndex } from './events/line-index.js';

export interface ReportOptions {
  /** The text of each file, for code frames; a problem whose file is missing here gets none. */
  sources?: ReadonlyMap<string, string>;
  color?: boolean;
}

export function formatProblems(problems: readonly Problem[], options: ReportOptions = {}): string {
  const paint = painter(options.color ?? false);
  const indexes = new Map<string, LineIndex>();
  const blocks = problems.map((problem) => {
    const place = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
    const severity = problem.severity === 'warning' ? `${paint.yellow('warning:')} ` : '';
    const head = [paint.bold(place), problem.path ? paint.dim(problem.path) : undefined, `${severity}${problem.message}`]
      .filter(Boolean)
      .join('  ');
    const lines = [head];
    if (problem.hint)
      lines.push(
        ...indent(`hint: ${problem.hint}`, '  ')
          .split('\n')
          .map((l) => paint.cyan(l)),
      );
    const text = options.sources?.get(problem.file);
    if (text !== undefined && problem.line > 0) {
      const index = indexes.get(problem.file) ?? new LineIndex(text);
      indexes.set(problem.file, index);
      lines.push(codeFrame(index, problem.line, problem.column, paint));
    }
    return lines.join('\n');
  });
  return blocks.join('\n\n');
}

/** Errors and warnings, and whether `check` passes (no error; with `strict`, no warning either). */
export function judgeProblems(
  problems: readonly Pick<Problem, 'severity'>[],
  strict = false,
): { errors: number; warnings: number; ok: boolean } {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  return { errors, warnings, ok: errors === 0 && !(strict && warnings > 0) };
}

export function summarizeProblems(file: string, problems: readonly Pick<Problem, 'severity'>[], eventCount?: number): string {
  const { errors, warnings } = judgeProblems(problems);
  const parts: string[] = [];
  if (errors > 0) parts.push(plural(errors, 'error'));
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  if (errors === 0 && eventCount !== undefined) parts.unshift(plural(eventCount, 'event'));
  if (problems.length === 0) parts.push('no problems');
  return `${file}: ${parts.join(', ')}`;
}

/** Two lines of context, the line itself, and a caret under the column; long lines are cut around it. */
function codeFrame(index: LineIndex, line: number, column: number, paint: Painter): string {
  const first = Math.max(1, line - 2);
  const width = String(line).length;
  const out: string[] = [];
  for (let n = first; n <= line; n++) {
    const { text, shift } = window(index.lineText(n), n === line ? column : 1);
    const marker = n === line ? paint.red('>') : ' ';
    out.push(`  ${marker} ${String(n).padStart(width)} | ${text}`);
    if (n === line) out.push(`    ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1 - shift))}${paint.red('^')}`);
  }
  return out.join('\n');
}

const MAX_FRAME_WIDTH = 100;

function window(line: string, column: number): { text: string; shift: number } {
  const chars = [...line.replace(/\t/g, ' ')];
  if (chars.length <= MAX_FRAME_WIDTH) return { text: chars.join(''), shift: 0 };
  const start = Math.max(0, Math.min(column - 40, chars.length - MAX_FRAME_WIDTH));
  const text = `${start > 0 ? '…' : ''}${chars.slice(start, start + MAX_FRAME_WIDTH).join('')}…`;
  return { text, shift: start > 0 ? start - 1 : 0 };
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l, i) => (i === 0 ? prefix + l : `${prefix}  ${l}`))
    .join('\n');
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}

type Painter = Record<'bold' | 'dim' | 'red' | 'yellow' | 'cyan', (s: string) => string>;

function painter(color: boolean): Painter {
  const wrap = (open: number, close: number) => (s: string) => (color ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

/**
 * Exit 70: a bug in chronicle, never in the user's input. Says so, says how to report it, and gives
 * what a maintainer needs first: the versions and the stack.
 */
export function formatInternalError(error: unknown, versions: { chronicle: string; node: string; platform: string }): string {
  const stack = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return [
    'chronicle: internal error. This is a bug in chronicle, not a problem with your files.',
    'Please report it: open an issue in the chronicle repository with the command you ran and the text below',
    '(and, if you can, the smallest events file that shows it).',
    '',
    `chronicle ${versions.chronicle}, Node ${versions.node}, ${versions.platform}`,
    stack,
    '',
  ].join('\n');
}

/**
 * A user's error for people: `file:line:col: message`, the hint, then its problems. `name` names
 * options (the CLI passes `optionFlag`, so the library's `baseUrl` reads `--base-url`); a file under
 * `cwd` is shown relative to it.
 */
export function formatError(error: ChronicleError, name: OptionName = optionKey, cwd?: string): string {
  const { message, hint } = describeError(error, name);
  const at = error.location;
  const where = at ? `${cwd ? shortPath(at.file, cwd) : at.file}${at.line ? `:${at.line}:${at.column ?? 1}` : ''}: ` : '';
  const problems = error.problems.length > 0 ? `\n${formatProblems(error.problems)}\n` : '';
  return `${where}${message}\n${hint ? `  hint: ${hint}\n` : ''}${problems}`;
}

function shortPath(file: string, cwd: string): string {
  const inside = relative(cwd, file);
  return isAbsolute(file) && inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : file;
}
