// Summaries whose only Markdown is `*words*` are rendered without markdown-it (src/render/markdown.ts):
// whenever that fast path answers, its HTML and its plain text must be markdown-it's, byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRenderer, renderInlineMarkdown, simpleEmphasis, simpleEmphasisText } from '../../src/render/markdown.js';
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

describe('simple emphasis without markdown-it', () => {
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
