// What `chronicle add` means to do, without doing it: validate the new events against the file,
// place them in time, splice them into the text, and verify the result reads back as intended. Pure.
import { ChronicleError, chronicleError, type Problem } from '../errors.js';
import { summarizeProblems } from '../report.js';
import { eventsLayout, type Insertion, orderedEvent, spliceEvents } from './append.js';
import { loadTimelineWithSource } from './load.js';
import { buildTimeline, compareEvents, type TimelineEvent } from './model.js';
import { FLAG_OPTION_OF_FIELD, findDuplicate, withDefaults } from './new-event.js';
import { formatPath } from './path.js';
import { lintTimeline } from './rules.js';
import type { EventInput, EventsFileInput } from './schema.js';
import { type Finding, validateEventsValue } from './validate.js';
import { eventItemSpans, parseYamlSource } from './yaml-source.js';

export interface AdditionPlan {
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
    throw chronicleError('file-has-problems', { file: name }, { problems: loaded.problems.filter((p) => p.severity === 'error') });
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
      throw chronicleError('duplicate-event', { title: event.title, date: String(event.date ?? 'no date'), id: duplicate.id, file: name });
    }
  }

  const layoutResult = eventsLayout(text, eventItemSpans(source), raw.events.length);
  if (!layoutResult.ok)
    throw new ChronicleError(`${layoutResult.message}; nothing was added to ${name}`, {
      code: 'unsupported-layout',
      hint: layoutResult.hint,
    });
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

function newEventProblems(findings: Finding[], events: Record<string, unknown>[], name: string): ChronicleError {
  const items = findings.map((finding) => {
    const index = Number(finding.path[1]);
    const event = events[index];
    const field = finding.path.slice(2);
    const option = typeof field[0] === 'string' ? FLAG_OPTION_OF_FIELD[field[0]] : undefined;
    return {
      label: typeof event?.id === 'string' ? event.id : `event ${index + 1}`,
      field: formatPath(field),
      ...(option ? { option } : {}),
      message: finding.message,
      ...(finding.hint ? { hint: finding.hint } : {}),
    };
  });
  return chronicleError('invalid-new-events', { file: name, items });
}
