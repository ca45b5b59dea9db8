// `chronicle add` is a splice: the new file is the old one with exactly one block inserted, in the
// file's own style, and the loader reads the new event back with every field as given.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTimeline } from '../../src/events/load.js';
import { planAddition } from '../../src/events/plan-addition.js';

interface FileStyle {
  indent: 2 | 4;
  crlf: boolean;
  finalNewline: boolean;
  blankBetween: boolean;
  sorted: boolean;
  /** A tab in a comment makes the fast reader step aside: the js-yaml path finds the events. */
  fullParser: boolean;
}

interface EventStyle {
  day: number;
  summary: 'none' | 'plain' | 'folded' | 'literal';
  lists: 'flow' | 'block';
  commentBefore: boolean;
  inlineComment: boolean;
  quotedTitle: boolean;
}

const eventStyle: fc.Arbitrary<EventStyle> = fc.record({
  day: fc.integer({ min: 1, max: 28 }),
  summary: fc.constantFrom('none', 'plain', 'folded', 'literal'),
  lists: fc.constantFrom('flow', 'block'),
  commentBefore: fc.boolean(),
  inlineComment: fc.boolean(),
  quotedTitle: fc.boolean(),
});

const fileStyle: fc.Arbitrary<FileStyle> = fc.record({
  indent: fc.constantFrom(2 as const, 4 as const),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
  blankBetween: fc.boolean(),
  sorted: fc.boolean(),
  fullParser: fc.boolean(),
});

/** A valid events file written in the given styles (comments, scalars and lists of every kind). */
function writeFile(style: FileStyle, events: EventStyle[]): string {
  const sp = ' '.repeat(style.indent);
  const field = ' '.repeat(style.indent + 2);
  const order = style.sorted ? [...events].sort((a, b) => a.day - b.day) : events;
  const lines = [
    style.fullParser ? '# a timeline\tkept by hand' : '# a timeline kept by hand',
    'title: Property timeline',
    'locale: en   # English',
    'as_of: 2025-02-28',
    'entities:',
    `${sp}acme: { name: Acme, kind: organization }`,
    `${sp}# people next`,
    `${sp}ada: { name: Ada, kind: person }`,
    'tags:',
    `${sp}models: Model releases`,
    'events:',
  ];
  order.forEach((e, i) => {
    if (i > 0 && style.blankBetween) lines.push('');
    if (e.commentBefore) lines.push(`${sp}# event ${i + 1}`);
    lines.push(`${sp}- id: event-${i + 1}${e.inlineComment ? '   # stable id' : ''}`);
    lines.push(`${field}date: 2025-01-${String(e.day).padStart(2, '0')}`);
    lines.push(`${field}title: ${e.quotedTitle ? `"Event: number ${i + 1}"` : `Event number ${i + 1}`}`);
    if (e.summary === 'plain') lines.push(`${field}summary: A one-line summary, with *emphasis*.`);
    if (e.summary === 'folded')
      lines.push(`${field}summary: >-`, `${field}${sp}A folded summary that goes on`, `${field}${sp}over two lines.`);
    if (e.summary === 'literal')
      lines.push(`${field}summary: |`, `${field}${sp}Line one`, `${field}${sp}  indented line two`, '', `${field}${sp}Line four`);
    if (e.lists === 'flow') lines.push(`${field}actors: [acme, ada]`, `${field}sources: [{ publisher: Reuters }]`);
    else
      lines.push(
        `${field}actors:`,
        `${field}${sp}- acme`,
        `${field}sources:`,
        `${field}${sp}- url: https://example.org/${i}`,
        `${field}${sp}  publisher: AP`,
      );
  });
  const eol = style.crlf ? '\r\n' : '\n';
  return lines.join(eol) + (style.finalNewline ? eol : '');
}

/** Asserts `after` is `before` with one contiguous block inserted, and returns that block. */
function insertedBlock(before: string, after: string): string {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  const added = after.length - before.length;
  expect(added).toBeGreaterThan(0);
  // Everything after the insertion must be the old tail, byte for byte.
  expect(after.slice(start + added)).toBe(before.slice(start));
  return after.slice(start, start + added);
}

const NEW_EVENT = {
  date: '2025-01-15',
  title: 'A new event: with a colon',
  summary: 'Added by a script, with a summary long enough to be folded over more than one line of the file.',
  actors: ['acme'],
  tags: ['models'],
  importance: 1,
  sources: [{ url: 'https://example.org/new', publisher: 'Reuters' }],
  related: ['event-1'],
};

describe('splicing an event into a file', () => {
  it('inserts exactly one block and keeps every other byte, in every style of file', () => {
    fc.assert(
      fc.property(fileStyle, fc.array(eventStyle, { minLength: 1, maxLength: 6 }), (style, events) => {
        const before = writeFile(style, events);
        expect(loadTimeline(before).problems.filter((p) => p.severity === 'error')).toEqual([]);
        const plan = planAddition(before, 'events.yaml', [NEW_EVENT], { now: '2025-02-28', force: false });
        const block = insertedBlock(before, plan.text);
        // In the file's style: its line endings, and its indentation for the item.
        expect(block.includes('\r\n')).toBe(style.crlf);
        expect(block.replace(/\r?\n/g, '').length).toBe(block.replace(/\r\n|\n/g, '').length);
        const lines = plan.text.split(style.crlf ? '\r\n' : '\n');
        expect(lines[plan.lines[0]! - 1]).toBe(`${' '.repeat(style.indent)}- id: 2025-01-15-a-new-event-with-a-colon`);
        // The final newline (or its absence) is kept.
        expect(plan.text.endsWith('\n')).toBe(style.finalNewline || before.endsWith('\n'));
        // Round trip: the loader finds the event with every field as given.
        const { timeline, problems } = loadTimeline(plan.text, { now: '2025-02-28' });
        expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
        const found = timeline?.events.find((e) => e.id === '2025-01-15-a-new-event-with-a-colon');
        expect(found).toMatchObject({
          title: NEW_EVENT.title,
          summary: NEW_EVENT.summary,
          actors: NEW_EVENT.actors,
          tags: NEW_EVENT.tags,
          importance: 1,
          sources: NEW_EVENT.sources,
          related: NEW_EVENT.related,
          added: '2025-02-28',
        });
        expect(found?.date?.text).toBe('2025-01-15');
        const days = style.sorted ? [] : events.map((e) => e.day);
        if (days.every((day, i) => i === 0 || days[i - 1]! <= day)) {
          // At its place in time: after every event that sorts before it, before the others.
          const order = timeline!.events.map((e) => e.index);
          expect(order).toEqual([...order].sort((a, b) => a - b));
        } else {
          expect(plan.notes.join()).toMatch(/not in date order/);
        }
      }),
      { numRuns: Number(process.env.FAST_CHECK_RUNS ?? 300) },
    );
  });

  it('turns `events: []` into a block list, keeping the comment on that line', () => {
    const before = 'title: Empty\nevents: [] # nothing yet\n';
    const plan = planAddition(before, 'events.yaml', [{ date: '2025-01-01', title: 'First' }], { now: '2025-01-02', force: false });
    expect(plan.text).toBe(
      'title: Empty\nevents: # nothing yet\n  - id: 2025-01-01-first\n    date: 2025-01-01\n    title: First\n    added: 2025-01-02\n',
    );
  });

  it('adds several events at once, each at its place', () => {
    const before = writeFile({ indent: 2, crlf: false, finalNewline: true, blankBetween: false, sorted: true, fullParser: false }, [
      { day: 10, summary: 'none', lists: 'flow', commentBefore: false, inlineComment: false, quotedTitle: false },
      { day: 20, summary: 'none', lists: 'flow', commentBefore: false, inlineComment: false, quotedTitle: false },
    ]);
    const plan = planAddition(
      before,
      'events.yaml',
      [
        { date: '2025-01-25', title: 'Last' },
        { date: '2025-01-05', title: 'First' },
        { date: '2025-01-15', title: 'Middle' },
      ],
      { now: '2025-02-28', force: false },
    );
    const ids = loadTimeline(plan.text).timeline!.events.map((e) => `${e.index}:${e.id}`);
    expect(ids).toEqual(['0:2025-01-05-first', '1:event-1', '2:2025-01-15-middle', '3:event-2', '4:2025-01-25-last']);
  });
});
