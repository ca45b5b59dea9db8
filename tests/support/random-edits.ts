// Random edits of a text for property tests: deletions, insertions of YAML-significant fragments,
// swapped lines and re-indented lines, the slips a hand-kept file suffers.
import fc from 'fast-check';

const FRAGMENTS = [
  ':',
  ': ',
  '-',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '"',
  "'",
  '\t',
  '\n',
  '\r\n',
  ' ',
  '  ',
  '   ',
  '#',
  ' #',
  '&a ',
  '*a',
  '!t ',
  '|',
  '|-',
  '>',
  '>-',
  '>+',
  '---',
  '...',
  '?',
  '%',
  '@',
  '`',
  '\\',
  '~',
  '0x1',
  '.5',
  '2025-02-30',
  'é',
  '\u2028',
  '\uFEFF',
  '\\n',
  '\\u00e9',
  "''",
  'null',
  'True',
  'id: x',
  'events:',
  'key: v',
  '- k: v',
  '<<: *a',
];

export type Edit =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'reindent'; line: number; by: number };

export const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })),
  }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('reindent' as const), line: fc.nat(), by: fc.integer({ min: -3, max: 3 }) }),
);

export function applyEdit(text: string, e: Edit): string {
  if (e.kind === 'delete' || e.kind === 'insert') {
    const at = e.at % (text.length + 1);
    return e.kind === 'delete' ? text.slice(0, at) + text.slice(at + e.length) : text.slice(0, at) + e.text + text.slice(at);
  }
  const lines = text.split('\n');
  if (e.kind === 'swap') {
    const a = e.a % lines.length;
    const b = e.b % lines.length;
    [lines[a], lines[b]] = [lines[b]!, lines[a]!];
  } else {
    const n = e.line % lines.length;
    const line = lines[n]!;
    lines[n] = e.by >= 0 ? ' '.repeat(e.by) + line : line.replace(new RegExp(`^ {0,${-e.by}}`), '');
  }
  return lines.join('\n');
}

export const applyEdits = (text: string, edits: Edit[]): string => edits.reduce(applyEdit, text);
