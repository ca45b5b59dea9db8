// Summaries as HTML (the page, feeds, timeline.json) and as plain text (JSON-LD, JSON Feed, the
// calendar): each rendered once per build and shared by every output. With a fragment store they
// are also kept between builds, so a rebuild whose summaries did not change never runs markdown-it
// (nor loads it: see markdown.ts and plain-text.ts).
import { type FragmentStore, hashKey, renderCodeFingerprint } from '../pipeline/fragments.js';
import { renderInlineMarkdown } from './markdown.js';
import { renderPlainText } from './plain-text.js';

export interface Summaries {
  html(markdown: string): string;
  text(markdown: string): string;
}

/** Rendered on each call (the library API, builds without a cache): plain and simple summaries are one pass, markdown-it's renders are remembered by markdown.ts. */
export const directSummaries: Summaries = { html: renderInlineMarkdown, text: renderPlainText };

export function summaries(store?: FragmentStore): Summaries {
  if (!store) return directSummaries;
  const base = hashKey(renderCodeFingerprint(), 'summary');
  return {
    html: (markdown) => store.through(hashKey(base, 'html', markdown), () => renderInlineMarkdown(markdown)),
    text: (markdown) => store.through(hashKey(base, 'text', markdown), () => renderPlainText(markdown)),
  };
}
