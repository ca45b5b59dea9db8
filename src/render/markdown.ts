// Inline Markdown of summaries (links, *emphasis*, `code`), with raw HTML disabled: whatever a user
// writes is text, and only http(s) and mailto links become links.
import { createRequire } from 'node:module';
import type MarkdownItModule from 'markdown-it';

// Loaded on the first summary with Markdown in it: a rebuild whose summaries all come from the
// fragment cache never loads markdown-it.
const require = createRequire(import.meta.url);
type MarkdownIt = ReturnType<typeof MarkdownItModule>;

let renderer: MarkdownIt | undefined;
/** A build renders each summary for the page and for three feeds: once is enough. */
const rendered = new Map<string, string>();
const MAX_REMEMBERED = 200_000;
const MARKDOWN_SYNTAX = /[*_`[\]\\&<>"'\n]/;
/** Every character markdown-it treats specially but `*`. */
const SYNTAX_BUT_STAR = /[_`[\]\\&<>"'\n\r]/;
/** `*words*` that markdown-it can only read as one emphasis: the opener after a space (or at the
 * start) and before a letter or digit, the closer after one and before a space, the end or ASCII
 * punctuation, and nothing but letters, digits and single spaces between. */
const SIMPLE_EMPHASIS = /(^| )\*([\p{L}\p{N}]+(?: [\p{L}\p{N}]+)*)\*(?=$|[ .,;:!?)])/gu;

/** The HTML of text whose only Markdown is simple emphasis (`*words*`), without markdown-it;
 * undefined for anything else. tests/unit/markdown-fast.test.ts compares it with markdown-it. */
export function simpleEmphasis(text: string): string | undefined {
  if (SYNTAX_BUT_STAR.test(text)) return undefined;
  const html = text.replace(SIMPLE_EMPHASIS, '$1<em>$2</em>');
  return html.includes('*') ? undefined : html;
}

/** The same text as plain text (src/render/plain-text.ts): the delimiters dropped. */
export function simpleEmphasisText(text: string): string | undefined {
  if (SYNTAX_BUT_STAR.test(text)) return undefined;
  const plain = text.replace(SIMPLE_EMPHASIS, '$1$2');
  // A `*` left over belongs to no pair this pattern reads (the words between hold none): markdown-it decides.
  return plain.includes('*') ? undefined : plain;
}

export function renderInlineMarkdown(text: string): string {
  let html = rendered.get(text);
  if (html !== undefined) return html;
  // Text without any Markdown or HTML-significant character renders as itself.
  if (!MARKDOWN_SYNTAX.test(text)) html = text;
  else html = simpleEmphasis(text);
  if (html === undefined) {
    renderer ??= createRenderer();
    html = renderer.renderInline(text);
  }
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
