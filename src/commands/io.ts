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

/** What the process that started a roomy worker knew of its terminal (roomy.ts): a worker's own
 * stdout is a pipe to that process, never a terminal. */
export interface Terminal {
  color: boolean;
  interactive: boolean;
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
      const parent = parentTerminal();
      return parent ? parent.color : !noColor && Boolean(process.stdout.isTTY) && process.env.TERM !== 'dumb';
    },
    get interactive() {
      const parent = parentTerminal();
      return parent ? parent.interactive : Boolean(process.stdin.isTTY && process.stdout.isTTY);
    },
    env: process.env,
    async rerunIfLarge(file) {
      // A getter, so that only a rerun asks whether stdout is a terminal (asking loads net and tty).
      const terminal = () => ({ color: this.color, interactive: this.interactive });
      return (await import('./roomy.js')).rerunIfLarge(file, process.env, terminal);
    },
  };
}

/** In a roomy worker (roomy.ts): the terminal of the process that started it. Asked only when a
 * command needs colours or prompts: worker_threads costs a few milliseconds to load. */
function parentTerminal(): Terminal | undefined {
  const threads = process.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads');
  if (threads.isMainThread) return undefined;
  const terminal = (threads.workerData as { terminal?: Partial<Terminal> } | null)?.terminal;
  return typeof terminal?.color === 'boolean' && typeof terminal.interactive === 'boolean'
    ? { color: terminal.color, interactive: terminal.interactive }
    : undefined;
}
