// Hostile input (issue 9, sections 1 and 2): deep nesting, huge quoted scalars and characters XML
// cannot carry each get a located problem, never a stack overflow or a raw parser exception.
import { describe, expect, it } from 'vitest';
import { loadTimeline } from '../../src/events/load.js';
import { formatProblems } from '../../src/report.js';
import { eventsFile } from '../helpers.js';

function withEvent(fields: string): string {
  return eventsFile(`  - id: ev
    date: 2025-01-20
    title: An event
    sources: [{ publisher: Reuters }]
${fields}`);
}

function errors(text: string) {
  const { timeline, problems } = loadTimeline(text, { file: 'events.yaml' });
  expect(timeline).toBeUndefined();
  return problems.filter((p) => p.severity === 'error');
}

describe('deep nesting', () => {
  it.each([
    ['62 levels of flow lists (a raw YAMLException before)', 62],
    ['10,000 levels of flow lists (a stack overflow in the fast reader before)', 10_000],
  ])('%s', (_name, depth) => {
    const [problem, ...rest] = errors(withEvent(`    related: ${'['.repeat(depth)}${']'.repeat(depth)}\n`));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ code: 'yaml-syntax', line: 14, message: 'the file nests too deeply' });
  });

  it('thousands of levels of block lists', () => {
    let text = withEvent('    related:\n');
    for (let level = 0; level < 3000; level++) text += `${' '.repeat(6 + 2 * level)}-\n`;
    const [problem] = errors(text);
    expect(problem).toMatchObject({ code: 'yaml-syntax', message: 'the file nests too deeply' });
    expect(problem!.line).toBeGreaterThan(15);
  });
});

describe('long values', () => {
  it('a 10 MB double-quoted summary is too long, not a stack overflow', () => {
    const summary = 'word '.repeat(2 * 1024 * 1024);
    const [problem] = errors(withEvent(`    summary: "${summary}"\n`));
    expect(problem).toMatchObject({ code: 'too-long', path: 'events[0].summary', line: 14, column: 14 });
  });
});

describe('characters XML cannot carry', () => {
  it.each([
    ['a NUL in a quoted publisher', '    display_date: "early \\0 2025"\n', 'U+0000', 'events[0].display_date'],
    ['U+0001 in a title', '    summary: "a\\x01b"\n', 'U+0001', 'events[0].summary'],
    ['U+FFFE', '    summary: "a\\uFFFEb"\n', 'U+FFFE', 'events[0].summary'],
    ['U+FFFF', '    summary: "a\\uFFFFb"\n', 'U+FFFF', 'events[0].summary'],
    ['a lone surrogate', '    summary: "a\\uD800b"\n', 'U+D800', 'events[0].summary'],
  ])('%s', (_name, field, character, path) => {
    const [problem, ...rest] = errors(withEvent(field));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ code: 'forbidden-character', path, line: 14 });
    expect(problem!.message).toContain(character);
    expect(problem!.hint).toContain(character);
  });

  it('names the character and the field, located at the value', () => {
    const text = eventsFile(`  - id: ev
    date: 2025-01-20
    title: An event
    sources:
      - publisher: "Reu\\x01ters"
`);
    expect(formatProblems(errors(text), { sources: new Map([['events.yaml', text]]) })).toMatchInlineSnapshot(`
      "events.yaml:14:20  events[0].sources[0].publisher  publisher contains the control character U+0001 (at character 4)
        hint: remove U+0001: it is invisible, and feeds (XML) cannot carry it; it usually comes from a copy-paste. Tabs and line breaks are fine
          12 |     title: An event
          13 |     sources:
        > 14 |       - publisher: "Reu\\x01ters"
             |                    ^"
    `);
  });

  it('a raw control character is a YAML error that names it', () => {
    const [problem] = errors(withEvent('    summary: |\n      bell \u0007 here\n'));
    expect(problem).toMatchObject({
      code: 'yaml-syntax',
      line: 15,
      column: 12,
      message: 'the file contains the control character U+0007, which YAML does not allow',
    });
  });

  it('accepts tab, line feed, carriage return and ordinary unicode', () => {
    const { problems } = loadTimeline(withEvent('    summary: "tab\\there\\r\\nnext line – ünïcødé 🚀"\n'));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

describe('deep JSON from add --json', () => {
  it('100,000 levels are refused as too deep, quickly (minutes of path copying before)', async () => {
    const { validateEventsValue } = await import('../../src/events/validate.js');
    let related: unknown = [];
    for (let level = 0; level < 100_000; level++) related = [related];
    const started = performance.now();
    const findings = validateEventsValue({ title: 'T', events: [{ id: 'a', date: '2025-01-20', title: 'A', related }] });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(findings.map((f) => f.code)).toContain('too-deep');
  });
});
