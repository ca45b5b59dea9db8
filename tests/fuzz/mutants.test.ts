// Issue 9, section 7: mutants of the seed file, structural and value by value, never get exit 70 or a
// stack trace, never take more than 10 s, `check` and `build` agree on them, and every output of a
// successful build is well-formed (Atom as XML, JSON Feed as JSON, iCalendar, the page as HTML).
//
// A few hundred mutants run in `npm test`; CHRONICLE_FUZZ_RUNS=5000 runs more, CHRONICLE_FUZZ_SEED
// replays a run. The CLI runs in this process (tests/helpers.ts `run`), not one process per mutant.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { HtmlValidate } from 'html-validate';
import ICAL from 'ical.js';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, run, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
const RUNS = Number(process.env.CHRONICLE_FUZZ_RUNS ?? 150);
const FUZZ_SEED = process.env.CHRONICLE_FUZZ_SEED ? Number(process.env.CHRONICLE_FUZZ_SEED) : undefined;
const STACK = /\n\s+at .+[(:]\d+|internal error/;
const LIMIT_MS = 10_000;

// XML 1.0's Char production; fast-xml-parser checks structure but not characters, so we do.
const NOT_XML_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// ---- values ---------------------------------------------------------------------------------------

const SPECIAL_TEXT = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000b',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u2028',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\ud800',
  '\udfff',
  '🚀',
  'e\u0301',
  '\u202e',
  '\u200b',
  '中文',
  '{{title}}',
  '{{{title}}}',
  '{{#each events}}',
  '{{/each}}',
  '{{> page}}',
  '{{',
  '}}',
  '\\{{x}}',
  '<script>alert(1)</script>',
  ']]>',
  '<!--',
  '&amp;',
  '&#0;',
  '&#x1;',
  '</style>',
  '"\'<>&',
  'javascript:alert(1)',
  '*emphasis* [link](javascript:x) `code`',
  '\r\n',
  '\n',
  '\t',
  ': ',
  ' #',
];

/** Text made of hostile pieces and arbitrary unicode (lone surrogates included). */
const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...SPECIAL_TEXT), fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ maxLength: 12 })), {
    minLength: 1,
    maxLength: 6,
  })
  .map((parts) => parts.join(''));

/** Text a careful user might write: any printable unicode, markup, template tokens, quotes. */
const printableText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...SPECIAL_TEXT.filter((t) => t.isWellFormed() && !NOT_XML_CHAR.test(t))),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map(
    (parts) =>
      [...parts.join('')]
        .filter((c) => c >= ' ' && c !== '\u007f')
        .join('')
        .trim() || 'x',
  );

/** YAML written in place of a value: a double-quoted string of any text, or raw YAML of every kind. */
const yamlValue = fc.oneof(
  { weight: 4, arbitrary: printableText.map((text) => JSON.stringify(text)) },
  { weight: 2, arbitrary: hostileText.map((text) => JSON.stringify(text)) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '!!binary aGVsbG8=',
      '!custom x',
      '!!int 3',
      '!!str 2025',
      '!!map {}',
      '&anchor value',
      '*anchor',
      '*undefined_alias',
      '{a: 1}',
      '[]',
      '{}',
      'null',
      '~',
      'true',
      '12',
      '-1',
      '1e400',
      '0x1F',
      '.inf',
      '.nan',
      '2025-01-20',
      '2025-02-30',
      '2025-Q5',
      '2025-01-20T10:00:00Z',
      '"',
      "'",
      '|',
      '>',
      '@x',
      '`x`',
      '%x',
      '? x',
      '- x',
      'a: b',
      '{{title}}',
      '<b>bold</b>',
      'https://example.org/a?b=c&d=<e>',
      'javascript:alert(1)',
      'mailto:x@example.org',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 200 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }).map((depth) => `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('x', 'é', '🚀', 'word ', '{{x}} ', '<p>'), fc.integer({ min: 100, max: 60_000 }))
      .map(([unit, n]) => JSON.stringify(unit.repeat(n))),
  },
);

// ---- mutations ------------------------------------------------------------------------------------

type Mutation = (lines: string[]) => string[];

const VALUE_LINE = /^(\s*(?:- )?[A-Za-z_]+: )(.+)$/;
const valueLines = SEED.split('\n')
  .map((line, index) => ({ line, index }))
  .filter(({ line }) => VALUE_LINE.test(line) && !/: [|>][-+]?$/.test(line));
const lineCount = SEED.split('\n').length;

// Free-text fields: a change there should mostly keep the file valid, and so reach the outputs.
const TEXT_LINE = /^(\s*(?:- )?(?:title|name|publisher|display_date|description|models|reasoning|companies): )(.+)$/;
const textLines = SEED.split('\n')
  .map((line, index) => ({ line, index }))
  .filter(({ line }) => TEXT_LINE.test(line) && !/: [|>][-+]?$/.test(line));

const replaceText = fc.tuple(fc.constantFrom(...textLines.map((l) => l.index)), printableText).map(
  ([index, text]): Mutation =>
    (lines) =>
      lines.map((line, i) => (i === index ? line.replace(TEXT_LINE, (_m, key: string) => `${key}${JSON.stringify(text)}`) : line)),
);

const replaceValue = fc.tuple(fc.constantFrom(...valueLines.map((l) => l.index)), yamlValue).map(
  ([index, value]): Mutation =>
    (lines) =>
      lines.map((line, i) => (i === index ? line.replace(VALUE_LINE, `$1${value}`) : line)),
);

const insertIntoValue = fc
  .tuple(fc.constantFrom(...valueLines.map((l) => l.index)), fc.oneof(printableText, printableText, hostileText), fc.nat())
  .map(
    ([index, text, at]): Mutation =>
      (lines) =>
        lines.map((line, i) => {
          if (i !== index) return line;
          const match = VALUE_LINE.exec(line);
          if (!match) return line;
          const value = match[2]!;
          const position = at % (value.length + 1);
          // Inside plain text, as a user would paste it (raw control characters included).
          return `${match[1]}${value.slice(0, position)}${text.replace(/\n/g, ' ')}${value.slice(position)}`;
        }),
  );

const SNIPPETS = [
  '    <<: *ev',
  '  <<: {title: merged}',
  'extra_key: x',
  '    extra: 1',
  '  - ',
  '---',
  '...',
  '%YAML 1.2',
  '? complex key',
  '!!map',
  '    related: *ev',
  '    summary: |',
  '      a literal block with {{title}} and <b>markup</b>',
  '    title: &t Shared title',
  '    display_date: *t',
  '\t- tab',
  '#'.repeat(200),
];

const structural = fc.oneof(
  fc.nat(lineCount).map(
    (i): Mutation =>
      (lines) =>
        lines.filter((_, j) => j !== i % lines.length),
  ),
  fc.nat(lineCount).map(
    (i): Mutation =>
      (lines) =>
        lines.flatMap((line, j) => (j === i % lines.length ? [line, line] : [line])),
  ),
  fc.tuple(fc.nat(lineCount), fc.nat(lineCount)).map(
    ([a, b]): Mutation =>
      (lines) => {
        const out = [...lines];
        const [x, y] = [a % out.length, b % out.length];
        [out[x], out[y]] = [out[y]!, out[x]!];
        return out;
      },
  ),
  fc.tuple(fc.nat(lineCount), fc.integer({ min: -4, max: 4 })).map(
    ([i, shift]): Mutation =>
      (lines) =>
        lines.map((line, j) =>
          j !== i % lines.length ? line : shift > 0 ? ' '.repeat(shift) + line : line.slice(Math.min(-shift, line.search(/\S|$/))),
        ),
  ),
  fc.tuple(fc.nat(lineCount), fc.constantFrom(...SNIPPETS)).map(
    ([i, snippet]): Mutation =>
      (lines) => {
        const out = [...lines];
        out.splice(i % (out.length + 1), 0, snippet);
        return out;
      },
  ),
  // Anchors and merge keys: the first event becomes an anchor that later ones merge or alias.
  fc.constant<Mutation>((lines) => {
    const text = lines.join('\n').replace(/^ {2}- id:/m, '  - &ev\n    id:');
    return text
      .replace(/^( {2}- id: [^\n]+)$/gm, (line, _m, offset) => (offset > text.indexOf('&ev') + 10 ? `${line}\n    <<: *ev` : line))
      .split('\n');
  }),
  fc.integer({ min: 40, max: 3000 }).map(
    (depth): Mutation =>
      (lines) => {
        const nested = Array.from({ length: depth }, (_, level) => `${' '.repeat(6 + 2 * level)}-`);
        const at = lines.findIndex((l) => l.startsWith('    related:'));
        const out = [...lines];
        out.splice(at === -1 ? out.length : at + 1, 0, ...(at === -1 ? ['    related:', ...nested] : nested));
        return out;
      },
  ),
  fc.nat().map(
    (cut): Mutation =>
      (lines) => {
        const text = lines.join('\n');
        return text.slice(0, cut % (text.length + 1)).split('\n');
      },
  ),
);

const mixed = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: replaceText },
    { weight: 2, arbitrary: replaceValue },
    { weight: 2, arbitrary: insertIntoValue },
    { weight: 2, arbitrary: structural },
  ),
  { minLength: 1, maxLength: 3 },
);

// Two in five change free text only, so that many mutants are valid and their outputs get checked.
const mutant = fc
  .oneof({ weight: 2, arbitrary: fc.array(replaceText, { minLength: 1, maxLength: 4 }) }, { weight: 3, arbitrary: mixed })
  .map((mutations) => mutations.reduce((lines, mutate) => mutate(lines), SEED.split('\n')).join('\n'));

// ---- well-formed outputs --------------------------------------------------------------------------

function assertWellFormedXml(xml: string): void {
  const structure = XMLValidator.validate(xml);
  expect(structure, 'feed.xml is well-formed XML').toBe(true);
  expect(NOT_XML_CHAR.exec(xml)?.[0], 'feed.xml has only XML characters').toBeUndefined();
  for (const [, hex, dec] of xml.matchAll(/&#(?:x([0-9a-fA-F]+)|(\d+));/g)) {
    const code = hex ? Number.parseInt(hex, 16) : Number(dec);
    expect(NOT_XML_CHAR.test(String.fromCodePoint(code)), `feed.xml refers to character ${code}`).toBe(false);
  }
}

const htmlValidate = new HtmlValidate({
  rules: { 'close-order': 'error', 'close-attr': 'error', 'no-dup-id': 'error', 'no-raw-characters': 'off' },
});

async function assertOutputs(out: string): Promise<void> {
  const read = (name: string) => readFileSync(join(out, name), 'utf8');
  assertWellFormedXml(read('feed.xml'));
  JSON.parse(read('feed.json'));
  JSON.parse(read('timeline.json'));
  ICAL.parse(read('upcoming.ics'));
  const page = await htmlValidate.validateString(read('index.html'));
  expect(page.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
}

// ---- the property ---------------------------------------------------------------------------------

describe('mutants of the seed file', () => {
  const dir = tempDir();
  const path = join(dir, 'events.yaml');
  const tally = { mutants: 0, valid: 0, slowestMs: 0, checkMs: 0, buildMs: 0, outputsMs: 0 };
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    const { checkMs, buildMs, outputsMs } = tally;
    console.log(
      `fuzz: ${tally.mutants} mutants, ${tally.valid} valid; slowest run ${Math.round(tally.slowestMs)} ms; ` +
        `total ms: check ${Math.round(checkMs)}, build ${Math.round(buildMs)}, output checks ${Math.round(outputsMs)}`,
    );
  });

  it(
    'get exit 0 or 1, never a stack, within 10 s; check and build agree; outputs are well-formed',
    async () => {
      // Warm up: the first build loads MJML and compiles the templates, which is not a mutant's cost.
      writeFileSync(path, SEED);
      expect((await run(['build', '-o', 'out'], dir)).code).toBe(0);
      await fc.assert(
        fc.asyncProperty(mutant, async (text) => {
          writeFileSync(path, text);
          tally.mutants++;
          const timed = async (argv: string[]) => {
            const started = performance.now();
            const result = await run(argv, dir);
            const ms = performance.now() - started;
            tally[argv[0] === 'check' ? 'checkMs' : 'buildMs'] += ms;
            tally.slowestMs = Math.max(tally.slowestMs, ms);
            expect(ms, `${argv[0]} took ${Math.round(ms)} ms`).toBeLessThan(LIMIT_MS);
            expect([0, 1], `${argv[0]} exit code\n${result.stderr}`).toContain(result.code);
            expect(`${result.stdout}\n${result.stderr}`).not.toMatch(STACK);
            return result;
          };
          const check = await timed(['check']);
          rmSync(join(dir, 'out'), { recursive: true, force: true });
          // The newsletter (MJML) costs most of a build: every fourth mutant makes it too.
          const build = await timed(['build', '-o', 'out', ...(tally.mutants % 4 === 0 ? [] : ['--no-newsletter'])]);
          expect(build.code, `check said ${check.code}, build said ${build.code}\n${build.stderr}`).toBe(check.code);
          if (build.code === 0) {
            tally.valid++;
            const started = performance.now();
            await assertOutputs(join(dir, 'out'));
            tally.outputsMs += performance.now() - started;
          }
        }),
        { numRuns: RUNS, ...(FUZZ_SEED !== undefined ? { seed: FUZZ_SEED } : {}), endOnFailure: !process.env.CHRONICLE_FUZZ_SHRINK },
      );
    },
    Math.max(120_000, RUNS * 2_000),
  );
});
