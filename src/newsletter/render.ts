// The issue in two passes (DESIGN.md section 6). Pass 1: Handlebars fills the issue into MJML and the
// text template, leaving the per-recipient tokens ({{recipient.name}}, {{unsubscribe_url}}); MJML
// compiles once per issue. Pass 2: the compiled HTML and text are Handlebars templates themselves,
// filled per recipient for the cost of a string render.
import Handlebars from 'handlebars';
import type { TemplateSet } from '../render/templates.js';
import type { IssueView } from './issue.js';

/** Gmail clips a message whose HTML is over about 102 KB; keep a margin for the recipient tokens. */
export const HTML_BUDGET_BYTES = 100_000;

// A `{` that a user wrote must never open a token in pass 2: it travels as a private-use character
// through both passes and is put back at the very end.
const BRACE = '\uE000';

const MJML_OPTIONS = {
  validationLevel: 'strict',
  minify: true,
  minifyOptions: { minifyCss: false },
  fonts: {},
  keepComments: false,
} as const;

export interface CompiledIssue {
  view: IssueView;
  /** Pass 2: fills one recipient's tokens. */
  render(recipient: RecipientTokens): { html: string; text: string };
  /** The size of the HTML part with empty tokens. */
  htmlBytes: number;
}

export interface RecipientTokens {
  recipient: Record<string, string>;
  unsubscribe_url: string;
}

export async function compileIssue(
  view: IssueView,
  templates: TemplateSet,
  options: { hasUnsubscribe: boolean; whyText: string; moreText: (n: number) => string; cacheDir?: string },
): Promise<CompiledIssue> {
  const [mjmlTemplate, textTemplate] = await Promise.all([
    templates.template('newsletter/issue.mjml.hbs'),
    templates.template('newsletter/issue.txt.hbs', { text: true }),
  ]);
  const cache = options.cacheDir ? (await import('./mjml-cache.js')).mjmlCache(options.cacheDir) : undefined;
  const compile = async (v: IssueView) => {
    const data = shieldBraces({
      ...v,
      hasUnsubscribe: options.hasUnsubscribe,
      whyText: options.whyText,
      moreText: options.moreText(v.more),
    });
    const source = mjmlTemplate(data);
    const key = cache?.key(source, MJML_OPTIONS);
    let html = key ? await cache?.read(key) : undefined;
    if (html === undefined) {
      // Loaded only when something must be compiled: a cached issue never loads MJML.
      const mjml2html = (await import('mjml')).default;
      html = (await mjml2html(source, MJML_OPTIONS)).html;
      if (key) await cache?.write(key, html);
    }
    return { html, text: textTemplate(data) };
  };
  // Keep every event if it fits; else drop the least important ones until the mail is under budget.
  let current = view;
  let compiled = await compile(current);
  const ranked = rankForBudget(view);
  let dropped = 0;
  while (Buffer.byteLength(compiled.html) > HTML_BUDGET_BYTES && dropped < ranked.length) {
    dropped = Math.min(ranked.length, Math.max(dropped + 1, Math.ceil(dropped * 1.5)));
    const gone = new Set(ranked.slice(0, dropped));
    current = {
      ...view,
      headlines: view.headlines.filter((e) => !gone.has(e.id)),
      events: view.events.filter((e) => !gone.has(e.id)),
      more: dropped,
    };
    compiled = await compile(current);
  }
  const html = Handlebars.compile(compiled.html);
  const text = Handlebars.compile(compiled.text, { noEscape: true });
  const restore = (s: string) => s.replaceAll(BRACE, '{');
  return {
    view: current,
    render: (tokens) => ({ html: restore(html(tokens)), text: restore(text(tokens)) }),
    htmlBytes: Buffer.byteLength(restore(html({ recipient: {}, unsubscribe_url: '' }))),
  };
}

/** Events in the order they leave the mail when it is too big: minor ones first, oldest first;
 * headlines stay. */
function rankForBudget(view: IssueView): string[] {
  return view.events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => b.e.importance - a.e.importance || a.i - b.i)
    .map(({ e }) => e.id);
}

function shieldBraces<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('{', BRACE) as T;
  if (Array.isArray(value)) return value.map(shieldBraces) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shieldBraces(v)])) as T;
  return value;
}
