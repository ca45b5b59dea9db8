// The files of one issue (web version, text part, ready-to-send .eml) and the archive page.

import { UserError } from '../errors.js';
import type { Timeline } from '../events/model.js';
import { fillLabel } from '../render/fill.js';
import { type LocaleFile, loadLocale } from '../render/locales.js';
import { createTemplateSet, type TemplateSet } from '../render/templates.js';
import { buildIssueView, eventsInWindow, type IssueOptions } from './issue.js';
import { addressOf, assertHeaderSafe, compileMessageTemplate, unsubscribeToken } from './mime.js';
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
}

export interface IssueFiles {
  id: string;
  subject: string;
  files: Map<string, string | Buffer>;
  compiled: CompiledIssue;
  eventCount: number;
}

/** The issue, or undefined when its window holds no event (and empty issues are not asked for). */
export async function buildIssueFiles(timeline: Timeline, options: NewsletterOptions): Promise<IssueFiles | undefined> {
  if (eventsInWindow(timeline, options.window).length === 0 && !options.allowEmpty) return undefined;
  if (options.subject !== undefined) assertHeaderSafe('--subject', options.subject);
  const locale = options.localeFile ?? (await loadLocale(options.locale, options.templatesDir));
  const localized: Timeline = timeline.locale === options.locale ? timeline : { ...timeline, locale: options.locale as Timeline['locale'] };
  const view = buildIssueView(localized, locale, options);
  const unsubscribe = timeline.newsletter.unsubscribeUrl;
  const from = timeline.newsletter.from ?? `${view.name} <newsletter@chronicle.invalid>`;
  const templates = options.templates ?? createTemplateSet(options.templatesDir);
  const compiled = await compileIssue(view, templates, {
    hasUnsubscribe: Boolean(unsubscribe),
    whyText: fillLabel(locale.labels.mail_why ?? '', { name: view.name }),
    moreText: (count) => fillLabel(locale.labels.mail_more ?? '', { count }),
  });
  // The web version: recipient tokens neutral (no name, no personal unsubscribe link).
  const web = compiled.render({ recipient: { name: '' }, unsubscribe_url: '' });
  const to = addressOf(from);
  const unsubscribeUrl = unsubscribe ? personalUnsubscribeUrl(unsubscribe, to, options.secret) : undefined;
  const message = compiled.render({ recipient: { name: '' }, unsubscribe_url: unsubscribeUrl ?? '' });
  const template = await compileMessageTemplate({
    from,
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
    compiled,
    eventCount: compiled.view.headlines.length + compiled.view.events.length,
    files: new Map<string, string | Buffer>([
      [`newsletter/${id}.html`, web.html],
      [`newsletter/${id}.txt`, web.text],
      [`newsletter/${id}.eml`, eml],
    ]),
  };
}

export async function renderArchive(
  timeline: Timeline,
  issueIds: string[],
  options: { locale: string; templatesDir?: string; templates?: TemplateSet; localeFile?: LocaleFile },
): Promise<string> {
  const locale = options.localeFile ?? (await loadLocale(options.locale, options.templatesDir));
  const template = await (options.templates ?? createTemplateSet(options.templatesDir)).template('newsletter/archive.hbs');
  const issues = [...new Set(issueIds)]
    .sort()
    .reverse()
    .map((id) => ({ id, file: `${id}.html` }));
  return template({ lang: options.locale, name: timeline.newsletter.name ?? timeline.title, labels: locale.labels, issues });
}

/** The unsubscribe link of one address: `{{token}}` in the template is its HMAC. */
export function personalUnsubscribeUrl(template: string, address: string, secret: string | undefined): string | undefined {
  if (!template.includes('{{token}}')) return template;
  if (!secret) return undefined;
  return template.replaceAll('{{token}}', unsubscribeToken(address, secret));
}

/** Refuses a token template without a secret: checked before anything is written. */
export function requireSecret(template: string | undefined, secret: string | undefined): void {
  if (template?.includes('{{token}}') && !secret) {
    throw new UserError('newsletter.unsubscribe_url uses {{token}}, but CHRONICLE_SECRET is not set', {
      hint: "set CHRONICLE_SECRET to a long random string (it signs each reader's unsubscribe link), e.g. export CHRONICLE_SECRET=$(openssl rand -hex 32)",
    });
  }
}
