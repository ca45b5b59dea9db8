// Inline Markdown of summaries (links, *emphasis*, `code`), with raw HTML disabled: whatever a user
// writes is text, and only http(s) and mailto links become links.
import MarkdownIt from 'markdown-it';

let renderer: ReturnType<typeof MarkdownIt> | undefined;

export function renderInlineMarkdown(text: string): string {
  renderer ??= createRenderer();
  return renderer.renderInline(text);
}

function createRenderer(): ReturnType<typeof MarkdownIt> {
  const md = new MarkdownIt('zero', { html: false, linkify: false, typographer: false, breaks: false });
  md.enable(['emphasis', 'link', 'backticks', 'escape', 'entity', 'newline']);
  md.validateLink = (url: string) => /^(https?:|mailto:)/i.test(url.trim());
  return md;
}
