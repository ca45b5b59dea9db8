// Inline Markdown of summaries as plain text, for the fields that are text and not HTML (JSON Feed
// `content_text`, the calendar's DESCRIPTION, JSON-LD): `*Fire-Flyer*` reads "Fire-Flyer", a link
// reads "its text (its address)". Parsed by the same rules as renderInlineMarkdown.
import { createRequire } from 'node:module';
import type MarkdownItModule from 'markdown-it';
import { simpleEmphasisText } from './markdown.js';

// Loaded on the first summary with Markdown in it: a rebuild whose summaries all come from the
// fragment cache never loads markdown-it.
const require = createRequire(import.meta.url);
type MarkdownIt = ReturnType<typeof MarkdownItModule>;

let parser: MarkdownIt | undefined;
const MARKDOWN_SYNTAX = /[*_`[\]\\&\n]/;

export function renderPlainText(markdown: string): string {
  if (!MARKDOWN_SYNTAX.test(markdown)) return markdown;
  return simpleEmphasisText(markdown) ?? plainTextThroughMarkdownIt(markdown);
}

/** The plain text as markdown-it parses it (exported for tests/unit/markdown-fast.test.ts). */
export function plainTextThroughMarkdownIt(markdown: string): string {
  parser ??= createParser();
  const tokens = parser.parseInline(markdown, {})[0]?.children ?? [];
  let text = '';
  const links: (string | undefined)[] = [];
  for (const token of tokens) {
    if (token.type === 'text' || token.type === 'code_inline' || token.type === 'text_special') text += token.content;
    else if (token.type === 'softbreak' || token.type === 'hardbreak') text += '\n';
    else if (token.type === 'link_open') links.push(String(token.attrGet('href') ?? '') || undefined);
    else if (token.type === 'link_close') {
      const href = links.pop();
      if (href && href !== text.slice(-href.length)) text += ` (${href})`;
    }
  }
  return text;
}

function createParser(): MarkdownIt {
  const MarkdownItClass = require('markdown-it') as typeof MarkdownItModule;
  const md = new MarkdownItClass('zero', { html: false, linkify: false, typographer: false, breaks: false });
  md.enable(['emphasis', 'link', 'backticks', 'escape', 'entity', 'newline']);
  md.validateLink = (url: string) => /^(https?:|mailto:)/i.test(url.trim());
  return md;
}
