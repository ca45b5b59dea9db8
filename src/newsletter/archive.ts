// The archive of issues: a page listing every issue by subject and period, newest first, an Atom feed
// of issues, and `issues.json` (issue-index.ts), which remembers the subjects of earlier issues.
import { Feed } from 'feed';
import type { Timeline } from '../events/model.js';
import { slugify } from '../events/new-event.js';
import { escapeHtml } from '../render/escape.js';
import { type LocaleFile, loadLocale } from '../render/locales.js';
import { createTemplateSet, type TemplateSet } from '../render/templates.js';
import { ISSUE_INDEX, type IssueEntry } from './issue-index.js';

/** The archive page, the Atom feed of issues and the index, with `current` in (replacing its old entry). */
export async function renderArchive(
  timeline: Timeline,
  earlier: { index: IssueEntry[]; fileIds: string[] },
  current: IssueEntry,
  options: { locale: string; templatesDir?: string; templates?: TemplateSet; localeFile?: LocaleFile; baseUrl?: string },
): Promise<Map<string, string>> {
  const known = new Map(earlier.index.map((e) => [e.id, e]));
  // Issues written before the index existed: their id stands for the subject.
  for (const id of earlier.fileIds)
    if (!known.has(id)) known.set(id, { id, subject: id, periodText: '', since: id.slice(0, 10), until: id.slice(-10) });
  known.set(current.id, current);
  const issues = [...known.values()].sort(
    (a, b) => byCodeUnits(b.since, a.since) || byCodeUnits(b.until, a.until) || byCodeUnits(b.id, a.id),
  );
  const locale = options.localeFile ?? (await loadLocale(options.locale, options.templatesDir));
  const templates = options.templates ?? createTemplateSet(options.templatesDir);
  const [page, css] = await Promise.all([templates.template('newsletter/archive.hbs'), templates.asset('timeline/style.css')]);
  const name = timeline.newsletter.name ?? timeline.title;
  const html = page({
    lang: options.locale,
    name,
    labels: locale.labels,
    css,
    timelineHref: options.baseUrl ?? '../index.html',
    issues: issues.map((e) => ({ ...e, file: `${e.id}.html` })),
  });
  return new Map([
    ['newsletter/index.html', html],
    ['newsletter/feed.xml', issuesFeed(timeline, name, issues, options.baseUrl, locale.labels.mail_archive ?? 'Past issues')],
    [ISSUE_INDEX, `${JSON.stringify({ issues }, null, 2)}\n`],
  ]);
}

function issuesFeed(timeline: Timeline, name: string, issues: IssueEntry[], baseUrl: string | undefined, archive: string): string {
  const folder = baseUrl ? new URL('newsletter/', baseUrl).href : undefined;
  const feed = new Feed({
    id: folder ?? `urn:chronicle:${slugify(name)}:issues`,
    title: `${name}: ${archive}`,
    ...(folder ? { link: folder, feedLinks: { atom: new URL('feed.xml', folder).href } } : {}),
    language: timeline.locale,
    updated: new Date(`${timeline.now}T00:00:00Z`),
    copyright: '',
    generator: 'chronicle',
  });
  for (const issue of issues.slice(0, 100)) {
    const id = `urn:chronicle:issue:${slugify(name)}:${issue.id}`;
    feed.addItem({
      title: escapeHtml(issue.subject),
      id,
      link: folder ? new URL(`${issue.id}.html`, folder).href : id,
      date: new Date(`${/^\d{4}-\d{2}-\d{2}$/.test(issue.until) ? issue.until : timeline.now}T00:00:00Z`),
      ...(issue.periodText ? { description: escapeHtml(issue.periodText) } : {}),
    });
  }
  return feed.atom1();
}

/** ISO days and issue ids compared as text: localeCompare would follow the machine's locale. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
