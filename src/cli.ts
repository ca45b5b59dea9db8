// The entry only wires: it declares commands and flags and lazy-imports the command that runs, so
// `chronicle --help`, `check` and `add` never load the page or mail machinery.
import { Command, CommanderError } from 'commander';
import type { CommandIO } from './commands/io.js';
import { EXIT, UserError } from './errors.js';

const VERSION = '0.1.0';

export async function runCli(argv: readonly string[], io: CommandIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('chronicle')
    .description('Keep industry news events in a YAML file; publish them as a timeline page, feeds and a newsletter.')
    .version(VERSION, '-V, --version')
    .option('-q, --quiet', 'print only errors')
    .showHelpAfterError('(run chronicle --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const quiet = (): boolean => Boolean(program.opts().quiet);

  program
    .command('check')
    .description('validate an events file and print every problem with its line and column')
    .argument('[file]', 'the events file', 'events.yaml')
    .option('--json', 'print the problems as a JSON array')
    .option('--strict', 'fail on warnings too')
    .option('--now <date>', 'the day to judge upcoming events by (YYYY-MM-DD); default: as_of, else today')
    .option('--no-cache', 'do not reuse the result of checking the same bytes before (see CHRONICLE_CACHE in the README)')
    .addHelpText(
      'after',
      '\nExamples:\n  chronicle check\n  chronicle check events.yaml --strict\n  chronicle check --json | jq length\n\nExit codes: 0 valid, 1 problems found (or warnings with --strict), 2 usage error.',
    )
    .action(async (file: string, options: { json?: boolean; strict?: boolean; now?: string; cache?: boolean }) => {
      const { check } = await import('./commands/check.js');
      exitCode = await check({ file, ...options, quiet: quiet() }, io);
    });

  program
    .command('schema')
    .description('print the JSON Schema of the events file (also in events.schema.json)')
    .addHelpText('after', '\nExample:\n  chronicle schema > events.schema.json')
    .action(async () => {
      const { schema } = await import('./commands/schema.js');
      exitCode = await schema({}, io);
    });

  for (const sub of program.commands) sub.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CommandIO): number {
  if (error instanceof CommanderError) {
    // Help and version exit through here too, with code 0.
    if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
    return EXIT.usage;
  }
  if (error instanceof UserError) {
    io.stderr(`chronicle: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
    return error.exitCode;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`chronicle: internal error (this is a bug in chronicle, please report it with the text below)\n${stack}\n`);
  return EXIT.internal;
}
