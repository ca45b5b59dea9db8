// `chronicle add [file]`: appends events from flags, from JSON, or from prompts, as a splice of the
// file's text under a lock, written atomically. Validates first; refuses rather than guesses.
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { EXIT, type Problem, UsageError, UserError } from '../errors.js';
import { eventsLayout, type Insertion, orderedEvent, spliceEvents } from '../events/append.js';
import { loadTimelineWithSource } from '../events/load.js';
import { buildTimeline, compareEvents, type TimelineEvent } from '../events/model.js';
import { type EventFlags, eventFromFlags, findDuplicate, missingFields, withDefaults } from '../events/new-event.js';
import { formatPath } from '../events/path.js';
import { lintTimeline } from '../events/rules.js';
import type { EventInput, EventsFileInput } from '../events/schema.js';
import { validateEventsValue } from '../events/validate.js';
import { eventItemSpans, parseYamlSource } from '../events/yaml-source.js';
import { readEventsFile } from '../io/read-events-file.js';
import { assertWritable, replaceFileAtomically, withFileLock } from '../io/write-safely.js';
import { formatProblems, summarizeProblems } from '../report.js';
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

const FLAG_OF: Record<string, string> = {
  id: '--id',
  date: '--date',
  display_date: '--display-date',
  title: '--title',
  summary: '--summary',
  status: '--status',
  certainty: '--certainty',
  claimed_by: '--claimed-by',
  actors: '--actor',
  tags: '--tag',
  importance: '--importance',
  sources: '--source',
  related: '--related',
};

export async function add(options: AddOptions, io: CommandIO): Promise<number> {
  const nowOption = parseNowOption(options.now);
  const lockTimeoutMs = parseLockTimeout(options.lockTimeout);
  const path = resolve(io.cwd, options.file ?? 'events.yaml');
  const name = relative(io.cwd, path) || path;
  const fromJson = options.json !== undefined;
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
          `missing ${missing.map((f) => FLAG_OF[f]).join(' and ')}: an event needs a title and, unless it is upcoming, a date`,
          'e.g. chronicle add --date 2025-01-27 --title "Nvidia shares fall" --source https://...   (or --json event.json)',
        );
      }
      event = await options.prompt(missing, event);
    }
    inputs = [event];
  }

  const work = async (): Promise<number> => {
    if (!options.dryRun) await assertWritable(path, name);
    const text = await readEventsFile(path, name);
    const plan = planAddition(text, name, inputs, { now: nowOption, force: options.force === true });
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

interface AdditionPlan {
  text: string;
  events: EventInput[];
  lines: number[];
  notes: string[];
  summary: string;
  warnings: Problem[];
}

/** Everything but the writing: validate, place, splice, and verify the result parses as intended. */
export function planAddition(
  text: string,
  name: string,
  inputs: Record<string, unknown>[],
  options: { now?: string | undefined; force: boolean },
): AdditionPlan {
  const loaded = loadTimelineWithSource(text, { file: name, ...(options.now ? { now: options.now } : {}) });
  if (!loaded.timeline || !loaded.source) {
    throw new UserError(`${name} has problems, so nothing was added; fix them first (chronicle check ${name})`, {
      hint: `\n${formatProblems(
        loaded.problems.filter((p) => p.severity === 'error'),
        { sources: new Map([[name, text]]) },
      )}`,
    });
  }
  const timeline = loaded.timeline;
  const source = loaded.source;
  const raw = source.value as EventsFileInput;
  // In the order the file writes keys, so what we write and what we expect to read back match.
  const events = inputs.map((input) => orderedEvent(withDefaults(input, timeline.now)));

  const knownIds = new Set(raw.events.map((e) => e.id));
  const findings = validateEventsValue({ ...raw, events }, knownIds);
  if (findings.length > 0) throw newEventProblems(findings, events, name);
  const typed = events as unknown as EventInput[];
  const newTimeline = buildTimeline({ ...raw, events: typed }, timeline.now).events;
  for (const added of [...newTimeline].sort((a, b) => a.index - b.index)) {
    const event = typed[added.index]!;
    const duplicate =
      findDuplicate(event, timeline.events) ??
      findDuplicate(
        event,
        newTimeline.filter((e) => e.index < added.index),
      );
    if (duplicate && !options.force) {
      throw new UserError(
        `"${event.title}" (${event.date ?? 'no date'}) looks like "${duplicate.id}", already in ${name}; nothing was added`,
        {
          hint: 'the same date and the same title up to case, spacing and punctuation; add --force if it really is another event',
        },
      );
    }
  }

  const layoutResult = eventsLayout(text, eventItemSpans(source), raw.events.length);
  if (!layoutResult.ok) throw new UserError(`${layoutResult.message}; nothing was added to ${name}`, { hint: layoutResult.hint });
  const layout = layoutResult.layout;

  const notes: string[] = [];
  const sorted = timeline.events.every((e, i) => e.index === i);
  if (!sorted && raw.events.length > 0) notes.push(`${name} is not in date order, so the new event went at the end`);
  const insertions = new Map<number, EventInput[]>();
  for (const added of newTimeline) {
    const after = sorted ? lastBefore(timeline.events, added) : raw.events.length - 1;
    const group = insertions.get(after) ?? [];
    group.push(typed[added.index]!);
    insertions.set(after, group);
  }
  const plan: Insertion[] = [...insertions].map(([after, group]) => ({ after, events: group }));
  const spliced = spliceEvents(text, layout, plan);

  // Safety net: the new text must read as the old data plus exactly the new events, where we meant them.
  const expected = [...raw.events];
  for (const { after, events: group } of [...plan].sort((a, b) => b.after - a.after)) expected.splice(after + 1, 0, ...group);
  const reread = parseYamlSource(spliced.text);
  const expectedValue = { ...raw, events: expected };
  if (!reread.ok || JSON.stringify(reread.source.value) !== JSON.stringify(expectedValue)) {
    throw new Error(`internal: the spliced file does not read back as intended; ${name} was not changed`);
  }
  const after = buildTimeline(expectedValue, timeline.now);
  const lines = typed.map((event) => spliced.lines[plan.flatMap((p) => p.events).indexOf(event)]!);
  // Warnings about the new events only, at the line where each one now starts.
  const lineOfId = new Map(typed.map((event, i) => [event.id, lines[i]!]));
  const allWarnings = lintTimeline(after);
  const warnings: Problem[] = allWarnings.flatMap((w) => {
    const id = expected[Number(w.path[1])]?.id;
    const line = id === undefined ? undefined : lineOfId.get(id);
    if (line === undefined) return [];
    return [
      {
        severity: w.severity,
        code: w.code,
        file: name,
        line,
        column: layout.itemIndent + 1,
        path: `${id}${formatPath(w.path.slice(2)) ? `.${formatPath(w.path.slice(2))}` : ''}`,
        message: w.message,
        ...(w.hint ? { hint: w.hint } : {}),
      },
    ];
  });
  return { text: spliced.text, events: typed, lines, notes, summary: summarizeProblems(name, allWarnings, after.events.length), warnings };
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
  for (const note of plan.notes) io.stderr(`chronicle: warning: ${note}\n`);
}

/** The file index of the last existing event that sorts before (or with) the new one; -1 if none. */
function lastBefore(existing: readonly TimelineEvent[], added: TimelineEvent): number {
  const candidate = { ...added, index: Number.POSITIVE_INFINITY };
  let after = -1;
  for (const event of existing) {
    if (compareEvents(event, candidate) < 0) after = event.index;
    else break;
  }
  return after;
}

function newEventProblems(findings: ReturnType<typeof validateEventsValue>, events: Record<string, unknown>[], name: string): UserError {
  const lines = findings.map((finding) => {
    const index = Number(finding.path[1]);
    const event = events[index];
    const label = typeof event?.id === 'string' ? event.id : `event ${index + 1}`;
    const field = finding.path.slice(2);
    const flag = typeof field[0] === 'string' ? FLAG_OF[field[0]] : undefined;
    const where = field.length > 0 ? `${formatPath(field)}${flag ? ` (${flag})` : ''}: ` : '';
    return `  ${label}  ${where}${finding.message}${finding.hint ? `\n    hint: ${finding.hint.replace(/\n/g, '\n    ')}` : ''}`;
  });
  return new UserError(`nothing was added to ${name}:\n${lines.join('\n')}`);
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
