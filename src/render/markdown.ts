// Inline Markdown of summaries (links, *emphasis*, `code`), with raw HTML disabled: whatever a user
// writes is text, and only http(s) and mailto links become links.
import { createRequire } from 'node:module';
import type MarkdownItModule from 'markdown-it';

// Loaded on the first summary with Markdown in it: a rebuild whose summaries all come from the
// fragment cache never loads markdown-it.
const require = createRequire(import.meta.url);
type MarkdownIt = ReturnType<typeof MarkdownItModule>;

let renderer: MarkdownIt | undefined;
/** A build renders each summary for the page and for three feeds: what markdown-it renders, once is enough. */
const rendered = new Map<string, string>();
const MAX_REMEMBERED = 200_000;
const MARKDOWN_SYNTAX = /[*_`[\]\\&<>"'\n]/;
/** Every character markdown-it treats specially but `*`. */
const SYNTAX_BUT_STAR = /[_`[\]\\&<>"'\n\r]/;
/** `*words*` that markdown-it can only read as one emphasis: the opener after a space (or at the
 * start) and before a letter or digit, the closer after one and before a space, the end or ASCII
 * punctuation, and nothing but letters, digits and single spaces between. This regular expression
 * is the definition; `emphasisPairs` finds the same pairs in one pass (tests/unit/markdown-fast.test.ts
 * holds the two to the same answers), since at 100,000 summaries the expression took about a second. */
export const SIMPLE_EMPHASIS = /(^| )\*([\p{L}\p{N}]+(?: [\p{L}\p{N}]+)*)\*(?=$|[ .,;:!?)])/gu;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const CLOSER_FOLLOWERS = ' .,;:!?)';

/** The text with each simple pair's words wrapped in `open` and `close`; undefined when a `*` belongs
 * to no such pair (markdown-it decides) or the text holds another Markdown character. */
function emphasisPairs(text: string, open: string, close: string): string | undefined {
  if (SYNTAX_BUT_STAR.test(text)) return undefined;
  let star = text.indexOf('*');
  if (star === -1) return text;
  let out = '';
  let from = 0;
  while (star !== -1) {
    // Every `*` must open a pair here: one left over stays in the output, and then markdown-it decides.
    if (star !== 0 && text.charCodeAt(star - 1) !== 32) return undefined;
    let at = star + 1;
    let words = 0;
    for (;;) {
      // A word: letters and digits; a single space followed by another word continues the words.
      let length = letterOrDigitLength(text, at);
      if (length === 0) break;
      while (length > 0) {
        at += length;
        length = letterOrDigitLength(text, at);
      }
      words++;
      if (text.charCodeAt(at) === 32 && letterOrDigitLength(text, at + 1) > 0) at++;
      else break;
    }
    if (words === 0 || text.charCodeAt(at) !== 42) return undefined;
    if (at + 1 < text.length && !CLOSER_FOLLOWERS.includes(text[at + 1]!)) return undefined;
    out += `${text.slice(from, star)}${open}${text.slice(star + 1, at)}${close}`;
    from = at + 1;
    star = text.indexOf('*', from);
  }
  return out + text.slice(from);
}

/** How many UTF-16 units the letter or digit at `at` takes (0: none there). */
function letterOrDigitLength(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code < 128) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122) ? 1 : 0;
  if (Number.isNaN(code)) return 0;
  const point = text.codePointAt(at)!;
  return LETTER_OR_DIGIT.test(String.fromCodePoint(point)) ? (point > 0xffff ? 2 : 1) : 0;
}

/** The HTML of text whose only Markdown is simple emphasis (`*words*`), without markdown-it;
 * undefined for anything else. tests/unit/markdown-fast.test.ts compares it with markdown-it. */
export function simpleEmphasis(text: string): string | undefined {
  return emphasisPairs(text, '<em>', '</em>');
}

/** The same text as plain text (src/render/plain-text.ts): the delimiters dropped. */
export function simpleEmphasisText(text: string): string | undefined {
  return emphasisPairs(text, '', '');
}

export function renderInlineMarkdown(text: string): string {
  // Text without any Markdown or HTML-significant character renders as itself; simple emphasis is
  // one pass. Neither is remembered: hashing a long summary for the memo cost more than the pass.
  if (!MARKDOWN_SYNTAX.test(text)) return text;
  const simple = simpleEmphasis(text);
  if (simple !== undefined) return simple;
  let html = rendered.get(text);
  if (html !== undefined) return html;
  renderer ??= createRenderer();
  html = renderer.renderInline(text);
  if (rendered.size >= MAX_REMEMBERED) rendered.clear();
  rendered.set(text, html);
  return html;
}

/** markdown-it as summaries use it (exported for the tests that compare the fast path with it). */
export function createRenderer(): MarkdownIt {
  const MarkdownItClass = require('markdown-it') as typeof MarkdownItModule;
  const md = new MarkdownItClass('zero', { html: false, linkify: false, typographer: false, breaks: false });
  md.enable(['emphasis', 'link', 'backticks', 'escape', 'entity', 'newline']);
  md.validateLink = (url: string) => /^(https?:|mailto:)/i.test(url.trim());
  return md;
}
