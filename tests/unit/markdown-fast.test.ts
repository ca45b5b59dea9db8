// Summaries whose only Markdown is `*words*` are rendered without markdown-it (src/render/markdown.ts):
// whenever that fast path answers, its HTML and its plain text must be markdown-it's, byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRenderer, renderInlineMarkdown, SIMPLE_EMPHASIS, simpleEmphasis, simpleEmphasisText } from '../../src/render/markdown.js';
import { plainTextThroughMarkdownIt, renderPlainText } from '../../src/render/plain-text.js';

const md = createRenderer();
// Letters, digits, spaces of several kinds, punctuation around delimiters, and delimiter runs.
const PIECES = [
  'a',
  'b',
  'é',
  '7',
  ' ',
  ' ',
  '  ',
  '*',
  '*',
  '**',
  '.',
  ',',
  '!',
  '?',
  ')',
  '(',
  '-',
  ':',
  ';',
  '\t',
  '\u00a0',
  '_',
  'x*',
  '*y',
  '–',
  '"',
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((pieces) => pieces.join(''));

/** The definition the one-pass scanner must follow: the regular expression, replaced globally, and
 * no `*` left over (nor another Markdown character). */
function byExpression(source: string, html: boolean): string | undefined {
  if (/[_`[\]\\&<>"'\n\r]/.test(source)) return undefined;
  const out = source.replace(SIMPLE_EMPHASIS, html ? '$1<em>$2</em>' : '$1$2');
  return out.includes('*') ? undefined : out;
}

// Beyond PIECES: upper case, digits, letters outside the BMP, a lone surrogate, marks and symbols
// that are neither letters nor digits, and the punctuation a closer may be followed by.
const WIDE_PIECES = [
  ...PIECES,
  'Z',
  'Q',
  '0',
  '9',
  '𝐀',
  '𝟙',
  '\ud835',
  '\u0301',
  '€',
  '²',
  '٣',
  '中',
  '@',
  '[',
  '`',
  '{',
  '~',
  'a b',
  ' *',
  '* ',
];
const word = fc.array(fc.constantFrom('a', 'Z', '9', 'é', '𝐀', '中', '٣'), { minLength: 1, maxLength: 3 }).map((c) => c.join(''));
const closer = fc.constantFrom('', ' ', '.', ',', ';', ':', '!', '?', ')', '(', '-', 'a', '*');
// Mostly well-formed pairs `*words*` among words, so that the scanner answers often; any piece may break them.
const pair = fc
  .tuple(fc.constantFrom(' ', ''), fc.array(word, { minLength: 1, maxLength: 3 }), fc.constantFrom(' ', '  ', ''), closer)
  .map(([before, words, join, after]) => `${before}*${words.join(join)}*${after}`);
const wideText = fc.array(fc.oneof(fc.constantFrom(...WIDE_PIECES), word, pair, pair), { maxLength: 12 }).map((pieces) => pieces.join(''));

describe('simple emphasis without markdown-it', () => {
  it('finds the pairs its regular expression defines, in one pass', () => {
    let answered = 0;
    fc.assert(
      fc.property(wideText, (source) => {
        expect(simpleEmphasis(source)).toBe(byExpression(source, true));
        expect(simpleEmphasisText(source)).toBe(byExpression(source, false));
        if (source.includes('*') && simpleEmphasis(source) !== undefined) answered++;
      }),
      { numRuns: 30_000 },
    );
    expect(answered).toBeGreaterThan(1_000);
  });

  it('answers only with the HTML markdown-it gives', () => {
    let answered = 0;
    fc.assert(
      fc.property(text, (source) => {
        const fast = simpleEmphasis(source);
        const plain = simpleEmphasisText(source);
        expect(plain === undefined).toBe(fast === undefined);
        if (fast === undefined) return;
        answered++;
        expect(fast).toBe(md.renderInline(source));
        expect(plain).toBe(plainTextThroughMarkdownIt(source));
      }),
      { numRuns: 20_000 },
    );
    // The property must not hold only because the fast path never answers.
    expect(answered).toBeGreaterThan(1_000);
  });

  it('renders the usual summaries, and declines what it cannot read', () => {
    const cases = [
      'A model *notably* cheaper.',
      '*Two words* at the start, *one* in the middle and *at the end*',
      'Prices fell *sharply*, then rose: *again*!',
      'Déjà *vu* – *café 2*; ok',
    ];
    for (const source of cases) {
      expect(simpleEmphasis(source)).toBe(md.renderInline(source));
      expect(renderInlineMarkdown(source)).toBe(md.renderInline(source));
      expect(renderPlainText(source)).toBe(plainTextThroughMarkdownIt(source));
    }
    for (const source of ['(*a*)', '**bold**', 'a*b*c', '* a*', '*a *', 'x *a*b', '*a* and [link](https://x.org)', '*a*_b_', 'a * b']) {
      expect(simpleEmphasis(source), source).toBeUndefined();
      expect(simpleEmphasisText(source), source).toBeUndefined();
      expect(renderPlainText(source)).toBe(plainTextThroughMarkdownIt(source));
      expect(renderInlineMarkdown(source)).toBe(md.renderInline(source));
    }
  });
});
