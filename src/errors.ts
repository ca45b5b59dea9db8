// Problems found in user input, and the one error type that carries them to the command line.
// A problem is plain data (for --json and editors); formatting it for people lives in report.ts.
// Messages live in errors-data.ts, keyed by a permanent code: domain code throws a code and its
// data (`chronicleError('invalid-period', { value })`), and the CLI renders it with flag names.
import { type ErrorCode, type ErrorData, type OptionName, optionKey, renderMessage } from './errors-data.js';

export type Severity = 'error' | 'warning';

export interface Problem {
  severity: Severity;
  /** Stable machine-readable kind, e.g. `invalid-date`, `unknown-key`, `yaml-syntax`. */
  code: string;
  file: string;
  /** 1-based; 0 when the problem is about the file as a whole (it cannot be read). */
  line: number;
  column: number;
  /** Where in the data, e.g. `events[3].date`; empty for the file itself. */
  path: string;
  message: string;
  hint?: string;
}

/** Where an error is, as far as it is known. */
export interface ErrorLocation {
  file: string;
  /** 1-based, with `column`; absent when the error is about the file as a whole. */
  line?: number;
  column?: number;
  /** Where in the data, e.g. `events[3].date`. */
  path?: string;
}

/** Exit codes of DESIGN.md section 3. */
export const EXIT = { ok: 0, failure: 1, usage: 2, internal: 70 } as const;

export interface ChronicleErrorOptions {
  /** Permanent; `user-error` for a message written in place (not from the catalogue). */
  code?: string;
  /** The catalogue data the message was made from, so the CLI can render it again with flag names. */
  data?: object;
  hint?: string | undefined;
  location?: ErrorLocation | undefined;
  problems?: Problem[];
  exitCode?: number;
  cause?: unknown;
}

/** Something the user can fix: reported as a clear message (exit 1, or 2 for usage), never a stack trace. */
export class ChronicleError extends Error {
  readonly code: string;
  readonly data?: object;
  readonly hint?: string;
  readonly location?: ErrorLocation;
  readonly problems: Problem[];
  readonly exitCode: number;

  constructor(message: string, options: ChronicleErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChronicleError';
    this.code = options.code ?? 'user-error';
    if (options.data) this.data = options.data;
    if (options.hint) this.hint = options.hint;
    if (options.location) this.location = options.location;
    this.problems = options.problems ?? [];
    this.exitCode = options.exitCode ?? EXIT.failure;
  }
}

/** The error of a catalogue code, with its message made from `data` (options named as the library names them). */
export function chronicleError<C extends ErrorCode>(
  code: C,
  data: ErrorData<C>,
  options: Omit<ChronicleErrorOptions, 'code' | 'data' | 'hint'> = {},
): ChronicleError {
  const { message, hint, usage } = renderMessage(code, data, optionKey);
  return new ChronicleError(message, { exitCode: usage ? EXIT.usage : EXIT.failure, ...options, code, data: data as object, hint });
}

/** A catalogue problem at a place in a file (for `check` and friends). */
export function problemOf<C extends ErrorCode>(
  code: C,
  data: ErrorData<C>,
  at: Pick<Problem, 'file' | 'line' | 'column' | 'path'>,
  severity: Severity = 'error',
): Problem {
  const { message, hint } = renderMessage(code, data);
  return { severity, code, ...at, message, ...(hint ? { hint } : {}) };
}

/**
 * The message and hint of an error as the command line shows them: catalogue errors are rendered
 * again with `name` (flags), other errors keep their own text.
 */
export function describeError(error: ChronicleError, name: OptionName): { message: string; hint?: string } {
  if (error.data && error.code !== 'user-error') {
    try {
      const { message, hint } = renderMessage(error.code as ErrorCode, error.data as never, name);
      return { message, ...(hint ? { hint } : {}) };
    } catch {
      // Not a catalogue code (a subclass set its own): fall through to the text it carries.
    }
  }
  return { message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
}

/** Kept for code written before the catalogue: a message-only error (exit 1 unless told otherwise). */
export const UserError = ChronicleError;
export type UserError = ChronicleError;

/** A wrong flag or argument: exit 2. */
export class UsageError extends ChronicleError {
  constructor(message: string, hint?: string) {
    super(message, { code: 'usage-error', hint, exitCode: EXIT.usage });
    this.name = 'UsageError';
  }
}
