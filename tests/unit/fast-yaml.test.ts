// The fast reader must give exactly js-yaml's value, or step aside: never a different meaning.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { generateEventsFile } from '../../bench/generate-events.js';
import { parseFastYaml } from '../../src/events/fast-yaml.js';
import { eventsFile, ROOT } from '../helpers.js';
import { applyEdits, edit } from '../support/random-edits.js';

function fullParse(text: string): { value: unknown } | { error: string } {
  try {
    return { value: load(text) };
  } catch (error) {
    return { error: String(error) };
  }
}

/** Whenever the fast reader answers, js-yaml gives the same value (and does not reject the text). */
function expectAgreement(text: string): boolean {
  const fast = parseFastYaml(text);
  if (!fast) return false;
  expect(fullParse(text)).toEqual({ value: fast.value });
  return true;
}

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');

describe('the fast YAML reader', () => {
  it.each([
    ['the seed file', SEED],
    ['a generated file', generateEventsFile({ events: 50 })],
    ['a generated file indented by 4, with CRLF', generateEventsFile({ events: 50, indent: 4, eol: '\r\n' })],
    ['the test helper file', eventsFile()],
  ])('reads %s, and agrees with js-yaml', (_name, text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  it.each([
    [
      'scalars of every core type',
      'a: 1\nb: -2\nc: 0x1F\nd: 0o17\ne: 1.5e3\nf: .inf\ng: -.Inf\nh: .NaN\ni: true\nj: False\nk: ~\nl: null\nm:\nn: 2025-01-20\no: 2015\np: +12\nq: 1_000\nr: 0b11\n',
    ],
    ['quoted scalars', "a: \"x \\\" \\\\ \\n \\u00e9\"\nb: 'it''s'\nc: \"# not a comment\" # a comment\nd: ''\n"],
    ['comments everywhere', '# head\na: 1 # one\n  # indented comment\nb:   # nested next\n  c: 2\n\n# tail\n'],
    [
      'folded and literal blocks with each chomping',
      'a: >\n  one\n  two\n\n  three\n\n\nb: |\n  x\n    indented\n  y\nc: >-\n  s\nd: |+\n  keep\n\n\ne: >+\n  k\nf: z\n',
    ],
    ['a sequence at the indentation of its key', 'a:\n- x\n- y\nb: 1\n'],
    [
      'flow collections',
      'a: [x, "y, z", \'w\', 1, ]\nb: { k: v, n: 2, u: https://x.org/a:b }\nc: [{ p: Reuters }, { p: AP, d: 2025-01 }]\nd: []\ne: {}\n',
    ],
    ['emoji and accents', 'a: Café 😀 naïve\n'],
  ])('agrees with js-yaml on %s', (_name, text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  it.each([
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !!str 1\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a tab in the indentation', 'a:\n\tb: 1\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['an empty file', ''],
    ['a list at the top', '- a\n'],
    ['a lone carriage return', 'a: 1\rb: 2\n'],
    ['a key with a space', 'a b: 1\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
  ])('steps aside on %s', (_name, text) => {
    expect(parseFastYaml(text)).toBeUndefined();
  });
});

describe.each([
  ['the seed file', SEED],
  ['a generated file', generateEventsFile({ events: 8, seed: 3 })],
  [
    'a small file of every construct',
    'a: >\n  one\n  two\n\n  three\nb: |\n  x\n    y\nc: [x, "y", { k: v }]\nd:\n- 1\n- e: "q" # c\n  f: \'s\'\ng: 0x1F\n',
  ],
])('random edits of %s', (_name, original) => {
  it('never make the fast reader disagree with js-yaml', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        expectAgreement(applyEdits(original, edits));
      }),
      { numRuns: Number(process.env.FAST_CHECK_RUNS ?? 1_000) },
    );
  });
});
