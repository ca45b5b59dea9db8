// What a command needs from the outside world, injectable so tests never touch process.*.

export interface CommandIO {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colours on stderr/stdout (a terminal, and NO_COLOR unset). */
  color: boolean;
  /** Whether stdin and stdout are a terminal (prompts, progress bars). */
  interactive: boolean;
  env: Record<string, string | undefined>;
  /** The real process only: runs the command again in a worker sized for a large events file
   * (roomy.ts) and gives its exit code, or undefined to go on here. */
  rerunIfLarge?: (file: string) => Promise<number | undefined>;
}

export function processIO(): CommandIO {
  const noColor = 'NO_COLOR' in process.env && process.env.NO_COLOR !== '';
  return {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    // Asked when needed: process.stdin and process.stdout make their streams on first touch, loading
    // net (and tty) for a terminal or a pipe, which a quiet build never uses otherwise.
    get color() {
      return !noColor && Boolean(process.stdout.isTTY) && process.env.TERM !== 'dumb';
    },
    get interactive() {
      return Boolean(process.stdin.isTTY && process.stdout.isTTY);
    },
    env: process.env,
    rerunIfLarge: async (file) => (await import('./roomy.js')).rerunIfLarge(file, process.env),
  };
}
