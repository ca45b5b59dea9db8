// `chronicle add [file]`: appends events from flags, from JSON, or from prompts, as a splice of the
// file's text under a lock, written atomically. Validates first; refuses rather than guesses.
import { readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { ChronicleError, chronicleError, EXIT, UsageError, UserError } from '../errors.js';
import { type EventFlags, eventFromFlags, FLAG_OPTION_OF_FIELD, missingFields } from '../events/new-event.js';
import { type AdditionPlan, planAddition } from '../events/plan-addition.js';
import { readError, readEventsFile } from '../io/read-events-file.js';
import { assertWritable, replaceFileAtomically, withFileLock } from '../io/write-safely.js';
import { formatProblems } from '../report.js';
import type { CommandIO } from './io.js';
import { parseNowOption } from './options.js';

export interface AddOptions extends EventFlags {
  file?: string;
  /** Read the events as JSON from this path, or `-` for standard input: one event object or a list. */
  json?: string;
  /** Print the inserted events as JSON (`--json`, with or without a file). */
  jsonOutput?: boolean;
  force?: boolean;
  dryRun?: boolean;
  now?: string;
  lockTimeout?: string;
  quiet?: boolean;
  /** Asks for missing fields on a terminal (injectable for tests). */
  prompt?: (missing: string[], event: Record<string, unknown>) => Promise<Record<string, unknown>>;
}

export async function add(options: AddOptions, io: CommandIO): Promise<number> {
  const nowOption = parseNowOption(options.now);
  const lockTimeoutMs = parseLockTimeout(options.lockTimeout);
  const path = resolve(io.cwd, options.file ?? 'events.yaml');
  const name = relative(io.cwd, path) || path;
  const fromJson = options.json !== undefined;
  if ((options.image === undefined) !== (options.imageAlt === undefined))
    throw chronicleError('options-go-together', {
      options: ['image', 'imageAlt'],
      example: 'chronicle add ... --image pictures/r1.png --image-alt "The R1 logo" (--image-alt "" for a decorative picture)',
    });
  let inputs: Record<string, unknown>[];
  if (fromJson) {
    if (Object.keys(eventFromFlags(options)).length > 0) throw new UsageError('give the event either as flags or as --json, not both');
    inputs = await readJsonEvents(options.json!, io);
  } else {
    let event = eventFromFlags(options);
    const missing = missingFields(event);
    if (missing.length > 0) {
      if (!io.interactive || !options.prompt) {
        throw new UsageError(
          `missing ${missing.map((f) => `--${FLAG_OPTION_OF_FIELD[f]}`).join(' and ')}: an event needs a title and, unless it is upcoming, a date`,
          'e.g. chronicle add --date 2025-01-27 --title "Nvidia shares fall" --source https://...   (or --json event.json)',
        );
      }
      event = await options.prompt(missing, event);
    }
    inputs = [event];
  }

  // Before the lock: a missing file (or a dangling symlink) gets the message `check` gives.
  await stat(path).catch((error: unknown) => {
    throw readError(error, name);
  });
  const work = async (): Promise<number> => {
    if (!options.dryRun) await assertWritable(path, name);
    const text = await readEventsFile(path, name);
    const plan = planFromFlagsOrJson(text, name, inputs, { now: nowOption, force: options.force === true }, fromJson);
    if (options.dryRun) {
      const { createPatch } = await import('diff');
      io.stdout(createPatch(name, text, plan.text, 'before', 'after'));
      return EXIT.ok;
    }
    await replaceFileAtomically(path, name, plan.text);
    report(plan, name, options, io);
    return EXIT.ok;
  };
  return options.dryRun ? work() : withFileLock(path, name, { timeoutMs: lockTimeoutMs }, work);
}

/** A new event that came from flags and does not pass is a usage error (exit 2), named by its flags. */
function planFromFlagsOrJson(
  text: string,
  name: string,
  inputs: Record<string, unknown>[],
  options: { now?: string | undefined; force: boolean },
  fromJson: boolean,
): AdditionPlan {
  try {
    return planAddition(text, name, inputs, options);
  } catch (error) {
    if (fromJson || !(error instanceof ChronicleError) || error.code !== 'invalid-new-events') throw error;
    const data = error.data as Parameters<typeof chronicleError<'invalid-new-events'>>[1];
    throw chronicleError('invalid-new-events', { ...data, fromFlags: true }, { exitCode: EXIT.usage });
  }
}

function report(plan: AdditionPlan, name: string, options: AddOptions, io: CommandIO): void {
  if (options.jsonOutput) {
    io.stdout(`${JSON.stringify(plan.events.length === 1 ? plan.events[0] : plan.events, null, 2)}\n`);
  } else if (!options.quiet) {
    plan.events.forEach((event, i) => {
      io.stdout(`added ${event.id} to ${name} at line ${plan.lines[i]}\n`);
    });
    if (plan.warnings.length > 0)
      io.stdout(`${formatProblems(plan.warnings, { sources: new Map([[name, plan.text]]), color: io.color })}\n`);
    io.stdout(`${plan.summary}\n`);
  }
  if (!options.quiet) for (const note of plan.notes) io.stderr(`chronicle: warning: ${note}\n`);
}

async function readJsonEvents(from: string, io: CommandIO): Promise<Record<string, unknown>[]> {
  let text: string;
  try {
    text = from === '-' ? await readStdin() : await readFile(resolve(io.cwd, from), 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${from === '-' ? 'standard input' : from}: ${(error as Error).message}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${from === '-' ? 'standard input' : from} is not valid JSON: ${(error as Error).message}`, {
      hint: 'give one event object, e.g. {"date": "2025-01-27", "title": "Nvidia shares fall"}, or a list of them',
    });
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new UserError('the JSON list is empty: there is no event to add');
  list.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new UserError(`item ${i + 1} of the JSON is not an event object`, {
        hint: 'each event is an object such as {"date": "2025-01-27", "title": "..."}',
      });
    }
    const missing = missingFields(item as Record<string, unknown>);
    if (missing.length > 0)
      throw new UsageError(
        `event ${i + 1} of the JSON has no ${missing.join(' and no ')}`,
        'each event needs a title and, unless it is upcoming, a date',
      );
  });
  return list as Record<string, unknown>[];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseLockTimeout(value: string | undefined): number {
  if (value === undefined) return 30_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new UsageError(`--lock-timeout ${JSON.stringify(value)} is not a number of seconds`, 'e.g. --lock-timeout 10');
  return seconds * 1000;
}
