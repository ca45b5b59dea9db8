// What a command needs from the outside world, injectable so tests never touch process.*.
import { UsageError } from '../errors.js';
import { parseEventDate } from '../events/dates.js';

export interface CommandIO {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colours on stderr/stdout (a terminal, and NO_COLOR unset). */
  color: boolean;
  /** Whether stdin and stdout are a terminal (prompts, progress bars). */
  interactive: boolean;
  env: Record<string, string | undefined>;
}

export function processIO(): CommandIO {
  const noColor = 'NO_COLOR' in process.env && process.env.NO_COLOR !== '';
  return {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    color: !noColor && Boolean(process.stdout.isTTY) && process.env.TERM !== 'dumb',
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    env: process.env,
  };
}

/** `--now` must be a real day: it decides what is upcoming and what is in the newsletter. */
export function parseNowOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = parseEventDate(value);
  if (!parsed.ok || parsed.date.precision !== 'day' || parsed.date.end || parsed.date.start.qualifier) {
    throw new UsageError(`--now ${JSON.stringify(value)} is not a day`, 'write --now YYYY-MM-DD, e.g. --now 2025-01-31');
  }
  return parsed.date.lower;
}
