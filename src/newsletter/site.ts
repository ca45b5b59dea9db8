// The files of one issue: the web version (a page of its own), the text part and a ready-to-send .eml.

import { chronicleError } from '../errors.js';
import type { Timeline } from '../events/model.js';
import { fillLabel } from '../render/fill.js';
import { type LocaleFile, loadLocale } from '../render/locales.js';
import { createTemplateSet, type TemplateSet } from '../render/templates.js';
import { unsubscribeToken } from '../unsubscribe/token.js';
import { buildIssueView, eventsInWindow, type IssueOptions } from './issue.js';
import type { IssueEntry } from './issue-index.js';
import { addressOf, assertOptionHeaderSafe, compileMessageTemplate } from './mime.js';
import { type CompiledIssue, compileIssue } from './render.js';

export interface NewsletterOptions extends IssueOptions {
  locale: string;
  templatesDir?: string;
  secret?: string;
  allowEmpty?: boolean;
  /** Compiled templates to reuse (the preview server keeps them between rebuilds). */
  templates?: TemplateSet;
  /** The locale file already loaded by the caller's renderer. */
  localeFile?: LocaleFile;
  /** The content caches' folder: the compiled MJML is kept there; none when caching is off. */
  cacheDir?: string;
}

export interface IssueFiles {
  id: string;
  subject: string;
  /** What the archive remembers of this issue. */
  entry: IssueEntry;
  files: Map<string, string | Buffer>;
  compiled: CompiledIssue;
  eventCount: number;
}

/** The issue, or undefined when its window holds no event (and empty issues are not asked for). */
export async function buildIssueFiles(timeline: Timeline, options: NewsletterOptions): Promise<IssueFiles | undefined> {
  if (eventsInWindow(timeline, options.window).length === 0 && !options.allowEmpty) return undefined;
  if (options.subject !== undefined) assertOptionHeaderSafe('subject', options.subject);
  const locale = options.localeFile ?? (await loadLocale(options.locale, options.templatesDir));
  // The interface's locale (labels, dates); the timeline keeps its own: the language of its content.
  const view = buildIssueView(timeline, locale, options);
  const unsubscribe = timeline.newsletter.unsubscribeUrl;
  const from = timeline.newsletter.from ?? `${view.name} <newsletter@chronicle.invalid>`;
  const templates = options.templates ?? createTemplateSet(options.templatesDir);
  const compiled = await compileIssue(view, templates, {
    hasUnsubscribe: Boolean(unsubscribe),
    whyText: fillLabel(locale.labels.mail_why ?? '', { name: view.name }),
    moreText: (count) => fillLabel(locale.labels.mail_more ?? '', { count }),
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
  });
  // The text file beside the web version: recipient tokens neutral (no name, no personal link).
  const web = compiled.render({ recipient: { name: '' }, unsubscribe_url: '' });
  // The web version is a web page of its own: every event of the issue, no mail-only lines.
  const [webPage, css] = await Promise.all([templates.template('newsletter/web.hbs'), templates.asset('timeline/style.css')]);
  const webHtml = webPage({
    ...view,
    css,
    canonical: view.webVersionUrl,
    timelineHref: view.timelineUrl ?? '../index.html',
  });
  const to = addressOf(from);
  // The issue's .eml is published with the site: a link with a token would unsubscribe its sender.
  const unsubscribeUrl = unsubscribe && !unsubscribe.includes('{{token}}') ? unsubscribe : undefined;
  const message = compiled.render({ recipient: { name: '' }, unsubscribe_url: unsubscribeUrl ?? '' });
  const template = await compileMessageTemplate({
    from,
    ...(timeline.newsletter.replyTo ? { replyTo: timeline.newsletter.replyTo } : {}),
    subject: compiled.view.subject,
    date: timeline.now,
    issueId: view.issueId,
    listName: view.name,
    hasUnsubscribe: Boolean(unsubscribeUrl),
  });
  const eml = template.fill({ to, html: message.html, text: message.text, ...(unsubscribeUrl ? { unsubscribeUrl } : {}) });
  const id = view.issueId;
  return {
    id,
    subject: compiled.view.subject,
    entry: { id, subject: view.subject, periodText: view.periodText, since: options.window.since, until: options.window.until },
    compiled,
    eventCount: compiled.view.headlines.length + compiled.view.events.length,
    files: new Map<string, string | Buffer>([
      [`newsletter/${id}.html`, webHtml],
      [`newsletter/${id}.txt`, web.text],
      [`newsletter/${id}.eml`, eml],
    ]),
  };
}

/** The unsubscribe link of one address: `{{token}}` in the template is its HMAC. */
export function personalUnsubscribeUrl(template: string, address: string, secret: string | undefined): string | undefined {
  if (!template.includes('{{token}}')) return template;
  if (!secret) return undefined;
  return template.replaceAll('{{token}}', unsubscribeToken(address, secret));
}

/** The shortest CHRONICLE_SECRET accepted: 32 bytes, as many as the HMAC-SHA256 it keys. */
export const SECRET_MIN_BYTES = 32;

/** Refuses a token template without a secret: checked before anything is written. */
export function requireSecret(template: string | undefined, secret: string | undefined): void {
  if (template?.includes('{{token}}')) checkSecret(secret, 'newsletter.unsubscribe_url uses {{token}}, but');
}

/** The secret, or a refusal when it is missing or short (it signs each reader's unsubscribe link). */
export function checkSecret(secret: string | undefined, lead = 'unsubscribe tokens need a secret, but'): string {
  if (!secret) throw chronicleError('secret-missing', { lead });
  const bytes = Buffer.byteLength(secret);
  if (bytes < SECRET_MIN_BYTES) throw chronicleError('secret-too-short', { bytes, min: SECRET_MIN_BYTES });
  return secret;
}
