// The archive of issues: a page listing every issue by subject and period, newest first, an Atom feed
// of issues, and `issues.json`, the small index that remembers the subjects of earlier issues.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Feed } from 'feed';
import type { Timeline } from '../events/model.js';
import { slugify } from '../events/new-event.js';
import { escapeHtml } from '../render/escape.js';
import { loadLocale } from '../render/locales.js';
import { createTemplateSet, type TemplateSet } from '../render/templates.js';

export interface IssueEntry {
  id: string;
  subject: string;
  periodText: string;
  since: string;
  until: string;
}

export const ISSUE_INDEX = 'newsletter/issues.json';

/** The entries of `issues.json` in an output folder, plus issues found only as files (written before
 * the index existed: their id stands for the subject). Garbage in the index is ignored. */
export async function readIssueIndex(outDir: string, fileIds: string[]): Promise<IssueEntry[]> {
  let entries: IssueEntry[] = [];
  try {
    const parsed = JSON.parse(await readFile(join(outDir, ISSUE_INDEX), 'utf8')) as { issues?: unknown };
    if (Array.isArray(parsed.issues))
      entries = parsed.issues.filter(
        (e): e is IssueEntry =>
          Boolean(e) &&
          ['id', 'subject', 'periodText', 'since', 'until'].every((k) => typeof (e as Record<string, unknown>)[k] === 'string'),
      );
  } catch {
    // no index yet, or not one we can read: the files still list the issues
  }
  const known = new Set(entries.map((e) => e.id));
  for (const id of fileIds)
    if (!known.has(id)) entries.push({ id, subject: id, periodText: '', since: id.slice(0, 10), until: id.slice(-10) });
  return entries;
}

/** The archive page, the Atom feed of issues and the index, with `current` in (replacing its old entry). */
export async function renderArchive(
  timeline: Timeline,
  earlier: IssueEntry[],
  current: IssueEntry,
  options: { locale: string; templatesDir?: string; templates?: TemplateSet; baseUrl?: string },
): Promise<Map<string, string>> {
  const issues = [...earlier.filter((e) => e.id !== current.id), current].sort(
    (a, b) => b.since.localeCompare(a.since) || b.until.localeCompare(a.until) || b.id.localeCompare(a.id),
  );
  const locale = await loadLocale(options.locale, options.templatesDir);
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
