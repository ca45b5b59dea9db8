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
  /** The same as `render`, as parts: what every recipient shares stays a `FixedPart`, so the message
   * can encode it once (see transfer-encoding.ts). */
  renderParts(recipient: RecipientTokens): { html: Part[]; text: Part[] };
  /** The pass-2 templates themselves (a `{` a user wrote still shielded as U+E000). */
  pass2: { html: string; text: string };
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
  const html = compilePass2(compiled.html, { noEscape: false });
  const text = compilePass2(compiled.text, { noEscape: true });
  return {
    view: current,
    render: (tokens) => ({ html: html(tokens), text: text(tokens) }),
    renderParts: (tokens) => ({ html: html.parts(tokens), text: text.parts(tokens) }),
    pass2: compiled,
    htmlBytes: Buffer.byteLength(html({ recipient: {}, unsubscribe_url: '' })),
  };
}

const restore = (s: string) => s.replaceAll(BRACE, '{');

/** A piece of pass 2's output that is the same object, with the same text, for every recipient. */
export interface FixedPart {
  readonly fixed: string;
}

/** Pass 2's output in order: fixed parts and the recipient's own strings. */
export type Part = string | FixedPart;

export interface Pass2 {
  (tokens: object): string;
  parts(tokens: object): Part[];
}

type Piece = FixedPart | ((tokens: object, out: Part[]) => void);

/** Pass 2 as string slices: the compiled issue is split once into its fixed text and its tokens
 * (`{{path}}`, `{{#if path}}…{{else}}…{{/if}}`), so a recipient costs a join, not a Handlebars render.
 * The output is what Handlebars renders, braces restored; a template using anything else is rendered
 * by Handlebars itself (and is then one part of its own). */
export function compilePass2(source: string, options: { noEscape: boolean }): Pass2 {
  const pieces = piecesOf(Handlebars.parse(source).body, options.noEscape);
  if (!pieces) {
    const template = Handlebars.compile(source, options.noEscape ? { noEscape: true } : {});
    const render = (tokens: object) => restore(template(tokens));
    return Object.assign(render, { parts: (tokens: object) => [render(tokens)] });
  }
  const parts = (tokens: object) => {
    const out: Part[] = [];
    emit(pieces, tokens, out);
    return out;
  };
  const render = (tokens: object) => {
    let text = '';
    for (const part of parts(tokens)) text += typeof part === 'string' ? part : part.fixed;
    return text;
  };
  return Object.assign(render, { parts });
}

function emit(pieces: Piece[], tokens: object, out: Part[]): void {
  for (const piece of pieces) {
    if (typeof piece === 'function') piece(tokens, out);
    else out.push(piece);
  }
}

interface Node {
  type: string;
  value?: string;
  path?: Node;
  params?: Node[];
  hash?: unknown;
  program?: { body: Node[] };
  inverse?: { body: Node[] };
  escaped?: boolean;
  original?: string;
  parts?: string[];
  depth?: number;
  data?: boolean;
  this?: boolean;
}

function piecesOf(body: Node[], noEscape: boolean): Piece[] | undefined {
  const pieces: Piece[] = [];
  for (const node of body) {
    if (node.type === 'ContentStatement') pieces.push({ fixed: restore(node.value ?? '') });
    else if (node.type === 'CommentStatement') continue;
    else if (node.type === 'MustacheStatement') {
      const parts = simplePath(node.path);
      if (!parts || node.params?.length || node.hash) return undefined;
      if (parts.length === 1 && parts[0]! in Handlebars.helpers) return undefined;
      const escaped = node.escaped && !noEscape;
      pieces.push((tokens, out) => {
        const value = lookup(tokens, parts);
        out.push(restore(escaped ? Handlebars.Utils.escapeExpression(value as string) : value == null ? '' : String(value)));
      });
    } else if (node.type === 'BlockStatement') {
      const parts = node.params?.length === 1 ? simplePath(node.params[0]) : undefined;
      if (simplePath(node.path)?.join('.') !== 'if' || !parts || node.hash) return undefined;
      const yes = node.program ? piecesOf(node.program.body, noEscape) : [];
      const no = node.inverse ? piecesOf(node.inverse.body, noEscape) : [];
      if (!yes || !no) return undefined;
      pieces.push((tokens, out) => {
        const value = lookup(tokens, parts);
        // Handlebars' `if`: false, '', 0, null, undefined and [] are false.
        emit(!value || (Array.isArray(value) && value.length === 0) ? no : yes, tokens, out);
      });
    } else return undefined;
  }
  return pieces;
}

function simplePath(node: Node | undefined): string[] | undefined {
  if (node?.type !== 'PathExpression' || node.data || node.this || node.depth !== 0 || !node.parts?.length) return undefined;
  return node.parts;
}

/** A property path as Handlebars looks it up: own properties only. */
function lookup(tokens: object, parts: string[]): unknown {
  let value: unknown = tokens;
  for (const part of parts) {
    if (value == null) return value;
    value = Object.hasOwn(value as object, part) ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
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
