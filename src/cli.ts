// The entry only wires: it declares commands and flags and lazy-imports the command that runs, so
// `chronicle --help`, `check` and `add` never load the page or mail machinery.
import { Command, CommanderError } from 'commander';
import type { CommandIO } from './commands/io.js';
import { ChronicleError, EXIT } from './errors.js';
import { optionFlag } from './errors-data.js';
import { formatError, formatInternalError } from './report.js';
import { VERSION } from './version.js';

// bin.cts takes the real process's IO from here: in the bundle, this module's exports are all it sees.
export { processIO } from './commands/io.js';

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
    .command('build')
    .description('write the timeline page and its feeds (Atom, JSON Feed, iCalendar, TimelineJS) into a folder')
    .argument('[file]', 'the events file', 'events.yaml')
    .option('-o, --out <folder>', 'the output folder', 'out')
    .option('--now <date>', 'the day that decides what is coming up (YYYY-MM-DD); default: as_of, else today')
    .option('--locale <code>', "the language of the interface: de, en, es, fr or a locale file of --templates (default: the file's locale)")
    .option('--base-url <url>', 'where the page is published, for absolute links in feeds')
    .option('--templates <folder>', 'a folder of templates that override the built-in ones by name')
    .option('--no-newsletter', 'skip the current newsletter issue (the page and feeds only)')
    .option('--no-cache', 'render every event again instead of reusing unchanged ones (see CHRONICLE_CACHE in the README)')
    .addHelpText(
      'after',
      '\nExamples:\n  chronicle build\n  chronicle build events.yaml -o public --locale fr --base-url https://example.org/timeline/',
    )
    .action(async (file: string, options: Record<string, string | boolean | undefined>) => {
      const { build } = await import('./commands/build.js');
      exitCode = await build({ file, ...options, quiet: quiet() } as Parameters<typeof build>[0], io);
    });

  program
    .command('newsletter')
    .description('write one issue of the newsletter: web version, plain text and a ready-to-send .eml')
    .argument('[file]', 'the events file', 'events.yaml')
    .option('--since <date>', 'the first day of the issue (with --until)')
    .option('--until <date>', 'the last day of the issue (with --since)')
    .option('--period <period>', 'week or month: the one that holds now (default: month)')
    .option('--issue <n>', 'the issue number, in the subject and the file names')
    .option('--subject <text>', 'the subject (default: "{name}: {period}")')
    .option('--intro <file>', 'a text file whose words open the issue')
    .option('--now <date>', 'the day that decides the period (YYYY-MM-DD); default: as_of, else today')
    .option('--locale <code>', "the language of the interface: de, en, es, fr or a locale file of --templates (default: the file's locale)")
    .option('-o, --out <folder>', 'the output folder (the issue goes to <folder>/newsletter/)', 'out')
    .option('--templates <folder>', 'a folder of templates that override the built-in ones by name')
    .option('--allow-empty', 'write an issue even when its period has no event')
    .option('--recipients <file.csv>', 'one personalised .eml per subscriber (columns: email, name, ...)')
    .option('--send [smtp-url]', 'send them over SMTP (default address: CHRONICLE_SMTP_URL); without it nothing leaves the machine')
    .option('--rate <n/s>', 'send at most n messages a second')
    .option('--no-cache', 'compile the issue again even when its MJML is unchanged (see CHRONICLE_CACHE in the README)')
    .option(
      '--suppressions <file.csv>',
      'addresses that get nothing (default: newsletter.suppressions, else suppressions.csv beside the events file)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  chronicle newsletter\n  chronicle newsletter --period week --issue 12\n  chronicle newsletter --since 2025-01-01 --until 2025-01-31 --locale fr',
    )
    .action(async (file: string, options: Record<string, string | boolean | undefined>) => {
      const { newsletter } = await import('./commands/newsletter.js');
      exitCode = await newsletter({ file, ...options, quiet: quiet() } as Parameters<typeof newsletter>[0], io);
    });

  program
    .command('unsubscribe')
    .description('add readers to the suppression list, by unsubscribe token (or link) or by address')
    .argument('[token-or-address...]', 'tokens from unsubscribe links, or addresses')
    .option('--recipients <file.csv>', 'the list the tokens were made for (a token is resolved through it)')
    .option('--from <file>', 'read tokens, links or addresses one a line (what the endpoint collected)')
    .option('--suppressions <file.csv>', 'the suppression list (default: as `newsletter` finds it from the events file)')
    .option('--events <file>', 'the events file whose newsletter settings name the suppression list', 'events.yaml')
    .option('--reason <text>', 'the reason written beside each address', 'unsubscribed')
    .addHelpText(
      'after',
      '\nExamples:\n  chronicle unsubscribe ada@example.org\n  chronicle unsubscribe --from collected.txt --recipients subscribers.csv',
    )
    .action(async (values: string[], options: Record<string, string | undefined>) => {
      const { unsubscribe } = await import('./commands/unsubscribe.js');
      exitCode = await unsubscribe({ values, ...options, quiet: quiet() } as Parameters<typeof unsubscribe>[0], io);
    });

  program
    .command('serve')
    .description('preview the page, the feeds and the newsletter on localhost, reloading on every save')
    .argument('[file]', 'the events file', 'events.yaml')
    .option('--port <port>', 'the port', '4321')
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .option('--open', 'open the preview in a browser')
    .option('--now <date>', 'the day that decides what is coming up (YYYY-MM-DD)')
    .option('--templates <folder>', 'a folder of templates that override the built-in ones by name')
    .option('--recipients <file.csv>', 'mount the unsubscribe endpoint at /unsubscribe/TOKEN, resolving tokens through this list')
    .option('--suppressions <file.csv>', 'where that endpoint stores unsubscriptions (default: as newsletter finds it)')
    .addHelpText('after', '\nExample:\n  chronicle serve --open')
    .action(async (file: string, options: Record<string, string | boolean | undefined>) => {
      const { serve } = await import('./commands/serve.js');
      exitCode = await serve({ file, ...options, quiet: quiet() } as Parameters<typeof serve>[0], io);
    });

  const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
  program
    .command('add')
    .description('append events to the events file, at their place in time, without touching the rest of it')
    .argument('[file]', 'the events file', 'events.yaml')
    .option('--id <slug>', 'a stable id (default: a slug of the date and the title)')
    .option('--date <date>', 'EDTF date: 2025-01-27, 2025-01, 2025, 2025-Q1, 2025~ ...')
    .option('--title <text>', 'one-line title')
    .option('--summary <text>', 'plain text with inline Markdown')
    .option('--status <status>', 'happened | announced | upcoming | rumored | postponed | cancelled')
    .option('--certainty <certainty>', 'confirmed | reported | claimed | disputed')
    .option('--claimed-by <entity>', 'who claims it (with --certainty claimed)')
    .option('--actor <entity>', 'an entity key (repeat for several)', collect)
    .option('--tag <tag>', 'a tag key (repeat for several)', collect)
    .option('--importance <n>', '1 headline, 2 major, 3 minor')
    .option('--source <url>', 'a source link (repeat for several)', collect)
    .option('--source-publisher <name>', 'the publisher of the sources (or a source of its own without --source)')
    .option('--image <src>', 'a picture: a JPEG/PNG/WebP/GIF file relative to the events file, or an https:// address')
    .option('--image-alt <text>', 'what the picture shows, for readers who cannot see it ("" for a decorative picture)')
    .option('--display-date <text>', 'text shown instead of the date')
    .option('--related <id>', 'the id of a related event (repeat for several)', collect)
    .option('--json [file]', 'print the added events as JSON; with a file (or - for stdin), also read them from it: one object or a list')
    .option('--force', 'add even when an event with the same date and title is already there')
    .option('--dry-run', 'print the change as a unified diff and write nothing')
    .option('--now <date>', 'the day to record as added (YYYY-MM-DD); default: as_of, else today')
    .option('--lock-timeout <seconds>', 'how long to wait for another writer', '30')
    .addHelpText(
      'after',
      '\nExamples:\n  chronicle add --date 2025-01-27 --title "Nvidia shares fall" --actor deepseek --tag companies --source https://example.org/story\n  echo \'{"date":"2025-01-27","title":"Nvidia shares fall"}\' | chronicle add --json -\n  chronicle add --dry-run --date 2025-02 --title "..."',
    )
    .action(async (file: string, options: Record<string, unknown>) => {
      const { add } = await import('./commands/add.js');
      const prompt = io.interactive
        ? async (missing: string[], event: Record<string, unknown>) =>
            (await import('./commands/add-prompts.js')).promptForEvent(missing, event)
        : undefined;
      const { json, ...rest } = options;
      const input = typeof json === 'string' ? { json } : {};
      exitCode = await add({ file, ...rest, ...input, jsonOutput: json !== undefined, quiet: quiet(), ...(prompt ? { prompt } : {}) }, io);
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
  if (error instanceof ChronicleError) {
    io.stderr(`chronicle: ${formatError(error, optionFlag, io.cwd)}`);
    return error.exitCode;
  }
  io.stderr(internalErrorText(error));
  return EXIT.internal;
}

/** The one text of exit 70 (also used by bin.cts for what escapes runCli). */
export function internalErrorText(error: unknown): string {
  return formatInternalError(error, { chronicle: VERSION, node: process.version, platform: `${process.platform} ${process.arch}` });
}
