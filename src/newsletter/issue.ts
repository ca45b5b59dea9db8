// One issue of the newsletter as data: the events of its window (headlines first), what is coming
// up, the subject and preheader, all localised. Pure.
import { formatDay, formatEventDate } from '../events/dates.js';
import type { Timeline, TimelineEvent } from '../events/model.js';
import { fillLabel } from '../render/fill.js';
import type { LocaleFile } from '../render/locales.js';
import { renderInlineMarkdown } from '../render/markdown.js';
import { permalinkOf } from '../timeline/view.js';
import { isComingUp } from '../timeline/walk.js';
import type { IssueWindow } from './window.js';

export interface IssueEvent {
  id: string;
  title: string;
  dateText: string;
  summaryHtml?: string;
  summaryText?: string;
  headline: boolean;
  importance: number;
  badges: string[];
  /** `label` for the HTML link; `text` (label and address) for the plain-text part. */
  sources: { url?: string; label: string; text: string }[];
  permalink?: string;
  /** The event's picture: `src` absolute (the mail; a local file needs base_url), `webSrc` for the
   * web version (out/newsletter/). `width` is capped to the mail's column. */
  image?: { src?: string; webSrc: string; alt: string; width?: number; height?: number; credit?: string; link?: string };
}

/** The mail's column is 600 px with 20 px padding either side. */
const MAIL_IMAGE_WIDTH = 560;

export interface IssueView {
  /** The interface's language; `contentLang` is the events file's, set only when it differs. */
  lang: string;
  contentLang?: string;
  name: string;
  subject: string;
  preheader: string;
  periodText: string;
  issueId: string;
  labels: Record<string, string>;
  headlines: IssueEvent[];
  events: IssueEvent[];
  comingUp: IssueEvent[];
  /** Events left out to stay under the size budget (the web version has them all). */
  more: number;
  webVersionUrl?: string;
  timelineUrl?: string;
  intro?: string;
}

export interface IssueOptions {
  window: IssueWindow;
  issueNumber?: number;
  subject?: string;
  intro?: string;
  baseUrl?: string;
}

/** Events whose dates overlap the window, in time order. */
export function eventsInWindow(timeline: Timeline, window: IssueWindow): TimelineEvent[] {
  return timeline.events.filter(
    (e) => e.date && e.date.lower <= window.until && e.date.upper >= window.since && !isComingUp(e, timeline.now),
  );
}

export function issueId(window: IssueWindow, issueNumber?: number): string {
  return issueNumber === undefined ? window.key : `issue-${issueNumber}`;
}

export function buildIssueView(timeline: Timeline, locale: LocaleFile, options: IssueOptions): IssueView {
  const labels = locale.labels;
  const name = timeline.newsletter.name ?? timeline.title;
  const selected = eventsInWindow(timeline, options.window);
  const toView = (event: TimelineEvent): IssueEvent => issueEvent(event, timeline, locale, options.baseUrl);
  const headlines = selected.filter((e) => e.importance === 1).map(toView);
  const events = selected.filter((e) => e.importance !== 1).map(toView);
  const comingUp = timeline.events.filter((e) => isComingUp(e, timeline.now)).map(toView);
  const periodText = periodOf(options.window, locale);
  const numbered =
    options.issueNumber === undefined
      ? name
      : fillLabel(labels.mail_issue_name ?? '{name} #{number}', { name, number: options.issueNumber });
  const subject = options.subject ?? fillLabel(labels.mail_subject ?? '{name}: {period}', { name: numbered, period: periodText });
  const id = issueId(options.window, options.issueNumber);
  const leads = (headlines.length > 0 ? headlines : events).map((e) => e.title);
  const lang = locale.code ?? timeline.locale;
  return {
    lang,
    ...(lang !== timeline.locale ? { contentLang: timeline.locale } : {}),
    name,
    subject,
    preheader: truncate(leads.join(' · '), 140),
    periodText,
    issueId: id,
    labels,
    headlines,
    events,
    comingUp,
    more: 0,
    ...(options.baseUrl ? { webVersionUrl: new URL(`newsletter/${id}.html`, options.baseUrl).href, timelineUrl: options.baseUrl } : {}),
    ...(options.intro ? { intro: options.intro } : {}),
  };
}

function issueEvent(event: TimelineEvent, timeline: Timeline, locale: LocaleFile, baseUrl: string | undefined): IssueEvent {
  const labels = locale.labels;
  const badges: string[] = [];
  if (event.certainty === 'claimed') {
    badges.push(
      event.claimedBy
        ? fillLabel(labels.claimed ?? '', { claimant: timeline.entities[event.claimedBy]?.name ?? event.claimedBy })
        : (labels.claimed_anonymous ?? ''),
    );
  } else if (event.certainty === 'disputed') badges.push(labels.disputed ?? 'Disputed');
  // Undated and upcoming: "Date to be announced" already says it.
  if (event.status !== 'happened' && !(event.status === 'upcoming' && !event.date && !event.displayDate))
    badges.push(labels[`status_${event.status}`] ?? event.status);
  return {
    id: event.id,
    title: event.title,
    dateText: event.displayDate ?? (event.date ? formatEventDate(event.date, locale.dates) : (labels.undated ?? '')),
    ...(event.summary ? { summaryHtml: renderInlineMarkdown(event.summary), summaryText: event.summary } : {}),
    headline: event.importance === 1,
    importance: event.importance,
    badges,
    sources: event.sources.map((s) => {
      const label = [s.title, s.publisher].filter(Boolean).join(', ') || s.url || '';
      return { ...(s.url ? { url: s.url } : {}), label, text: s.url && label !== s.url ? `${label} <${s.url}>` : label };
    }),
    ...(baseUrl ? { permalink: permalinkOf(event, baseUrl) } : {}),
    ...(event.image?.url ? { image: issueImage(event.image, baseUrl) } : {}),
  };
}

function issueImage(image: NonNullable<TimelineEvent['image']>, baseUrl: string | undefined): NonNullable<IssueEvent['image']> {
  const url = image.url!;
  const remote = /^https:\/\//i.test(url);
  const src = remote ? url : baseUrl ? new URL(url, baseUrl).href : undefined;
  const width = image.width ? Math.min(image.width, MAIL_IMAGE_WIDTH) : undefined;
  return {
    ...(src ? { src } : {}),
    webSrc: src ?? `../${url}`,
    alt: image.alt,
    ...(width && image.height ? { width, height: Math.round((image.height * width) / image.width!) } : {}),
    ...(image.credit ? { credit: image.credit } : {}),
    ...(image.link ? { link: image.link } : {}),
  };
}

function periodOf(window: IssueWindow, locale: LocaleFile): string {
  if (window.period === 'month') return formatDay(window.since, locale.dates, 'month');
  return fillLabel(locale.dates.range, { start: formatDay(window.since, locale.dates), end: formatDay(window.until, locale.dates) });
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
