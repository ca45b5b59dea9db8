// Problems found in user input, and the errors that carry them to the command line.
// A problem is plain data (for --json and editors); formatting it for people lives in report.ts.

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

/** Exit codes of DESIGN.md section 3. */
export const EXIT = { ok: 0, failure: 1, usage: 2, internal: 70 } as const;

/** Something the user can fix: reported as a clear message, never a stack trace. */
export class UserError extends Error {
  readonly problems: Problem[];
  readonly exitCode: number;
  readonly hint?: string;

  constructor(message: string, options: { hint?: string; problems?: Problem[]; exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'UserError';
    this.hint = options.hint;
    this.problems = options.problems ?? [];
    this.exitCode = options.exitCode ?? EXIT.failure;
  }
}

/** A wrong flag or argument: exit 2. */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: EXIT.usage });
    this.name = 'UsageError';
  }
}
