// The timeline's feeds: Atom, JSON Feed 1.1, an iCalendar of dated upcoming events (ical-generator)
// and TimelineJS3 data. Pure and deterministic: every date comes from the data, `as_of` or "now".
//
// Every output carries what the page shows beside a title: status and certainty ("Claim by DeepSeek,
// not independently verified", "Rumored", "Cancelled"), in the interface's language, in the title
// and as categories. Each entry is rendered by a function of one event, so a build can keep them.
//
// Atom is written here rather than with the `feed` library: that library cannot emit `xml:lang`,
// renders only a whole document (no entry on its own) and marks titles as HTML. Atom is a small fixed
// vocabulary; the tests read it back with two feed parsers and check RFC 4287's required elements.
import { createRequire } from 'node:module';
import type * as Ical from 'ical-generator';
import { formatEventDate } from '../events/dates.js';
import type { Timeline, TimelineEvent } from '../events/model.js';
import { slugify } from '../events/new-event.js';
import { cutKey, keptRuns, runsOf } from '../pipeline/chunks.js';
import { type FragmentStore, hashKey, renderCodeFingerprint } from '../pipeline/fragments.js';
import { escapeHtml } from '../render/escape.js';
import { fillLabel } from '../render/fill.js';
import type { LocaleFile } from '../render/locales.js';
import { directSummaries, type Summaries } from '../render/summaries.js';
import { calendarEvents } from './calendar-events.js';
import { listDigest } from './list-digest.js';
import { permalinkOf } from './view.js';
import { walkTimeline } from './walk.js';

export { calendarEvents };

let icalModule: typeof Ical | undefined;
/** ical-generator, loaded for the first calendar that has an event: most builds write none. */
function icalGenerator(): typeof Ical {
  icalModule ??= createRequire(import.meta.url)('ical-generator') as typeof Ical;
  return icalModule;
}

export interface FeedFiles {
  'feed.xml': string;
  'feed.json': string;
  /** Only when there is a dated upcoming event: RFC 5545 wants at least one component. */
  'upcoming.ics'?: string;
  'timeline.json': string;
}

/** What every entry needs besides its event. */
export interface FeedContext {
  timeline: Timeline;
  baseUrl: string | undefined;
  /** The interface's locale: labels and formatted dates. */
  locale: LocaleFile;
  /** Summaries as HTML and as text, shared with the page (and kept between builds with a cache). */
  summaries: Summaries;
}

/** Rendered pieces kept between builds, by a key of everything an event's pieces are made of
 * (its data, the titles it relates to, the rest of the timeline, the settings and the locale). */
export interface FeedFragments {
  fragments: FragmentStore;
  eventKey: (event: TimelineEvent) => string;
  summaries?: Summaries;
}

export function renderFeeds(timeline: Timeline, baseUrl: string | undefined, locale: LocaleFile, cache?: FeedFragments): FeedFiles {
  const context: FeedContext = { timeline, baseUrl, locale, summaries: cache?.summaries ?? directSummaries };
  return {
    ...renderSyndication(timeline, baseUrl, locale, cache),
    'timeline.json': cache ? [...timelineJsParts(timeline, baseUrl, locale, cache)].join('') : timelineJs(context),
  };
}

/** The feeds and the calendar (everything but timeline.json, which a build writes in parts). */
export function renderSyndication(
  timeline: Timeline,
  baseUrl: string | undefined,
  locale: LocaleFile,
  cache?: FeedFragments,
): Omit<FeedFiles, 'timeline.json'> {
  const context: FeedContext = { timeline, baseUrl, locale, summaries: cache?.summaries ?? directSummaries };
  const entries = feedEntries(timeline);
  const calendar = calendarEvents(timeline);
  // With fragments, each entry is kept by its event's key: everything else an entry shows (the
  // timeline's names, now, base_url, the labels) is in that key too.
  const kept = cache && keptEntries(cache);
  return {
    'feed.xml': atomFeed(entries, context, kept && ((event) => kept('atom entry', event, () => renderAtomEntry(event, context)))),
    'feed.json': kept
      ? jsonFeedOfItems(entries, context, (event) => kept('JSON Feed item', event, () => jsonFeedItemText(event, context)))
      : jsonFeed(entries, context),
    ...(calendar.length > 0 ? { 'upcoming.ics': upcomingCalendar(calendar, context) } : {}),
  };
}

/** An entry kept by the fragment store, by its kind and its event's key. */
function keptEntries(cache: FeedFragments): (kind: string, event: TimelineEvent, render: () => string) => string {
  const base = hashKey(renderCodeFingerprint(), 'feed entries');
  return (kind, event, render) => cache.fragments.through(hashKey(base, kind, cache.eventKey(event)), render);
}

/**
 * Feed readers poll a feed again and again: it carries the newest events, not the whole archive
 * (timeline.json and the page have everything).
 */
export const FEED_ITEMS = 100;

/**
 * When an event entered the timeline, as well as the file can tell: `added`, else its first day, but
 * never after `as_of` (else now): an upcoming event dated next year has not been published next year.
 * Undated events without `added` have no such day and stay out of the feeds.
 */
export function publishedDay(event: TimelineEvent, timeline: Timeline): string | undefined {
  if (event.added) return event.added;
  if (!event.date) return undefined;
  const latest = timeline.asOf ?? timeline.now;
  // biome-ignore lint/complexity/useMathMinMax: ISO days are strings, Math.min would make them NaN
  return event.date.lower < latest ? event.date.lower : latest;
}

/**
 * The feeds' entries: what entered the timeline most recently first (by `added`, else the event's
 * date), then later in the file first. A back-filled 2019 event added today is on top.
 */
export function feedEntries(timeline: Timeline): TimelineEvent[] {
  // The first FEED_ITEMS in that order, kept sorted as the events are walked from the end: in a
  // loaded timeline (sorted by day) the newest come first, so after the first hundred nearly every
  // event is turned away by one comparison, with no sort of every event. Any order gives the same.
  const kept: { event: TimelineEvent; day: string }[] = [];
  const before = (a: { event: TimelineEvent; day: string }, b: { event: TimelineEvent; day: string }) =>
    a.day === b.day ? a.event.index > b.event.index : a.day > b.day;
  const { events } = timeline;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    const day = publishedDay(event, timeline);
    if (!day) continue;
    const entry = { event, day };
    if (kept.length === FEED_ITEMS && !before(entry, kept[FEED_ITEMS - 1]!)) continue;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(kept[mid]!, entry)) lo = mid + 1;
      else hi = mid;
    }
    kept.splice(lo, 0, entry);
    if (kept.length > FEED_ITEMS) kept.pop();
  }
  return kept.map((k) => k.event);
}

export interface EventLabel {
  /** Stable, for categories: `status-rumored`, `claimed`, `disputed`. */
  term: string;
  text: string;
}

/** The labels the page shows as badges (status, then certainty), in the interface's language. */
export function eventLabels(event: TimelineEvent, context: FeedContext): EventLabel[] {
  const { labels } = context.locale;
  const found: EventLabel[] = [];
  if (event.status !== 'happened') {
    found.push({ term: `status-${event.status}`, text: labels[`status_${event.status}`] ?? event.status });
  }
  if (event.certainty === 'claimed') {
    const claimant = event.claimedBy ? (context.timeline.entities[event.claimedBy]?.name ?? event.claimedBy) : undefined;
    const text = claimant ? fillLabel(labels.claimed ?? '{claimant}', { claimant }) : (labels.claimed_anonymous ?? 'claimed');
    found.push({ term: 'claimed', text });
  } else if (event.certainty === 'disputed') {
    found.push({ term: 'disputed', text: labels.disputed ?? 'disputed' });
  }
  return found;
}

/** "Rumored: A rumour" (with the locale's punctuation), or the bare title. */
export function labelledTitle(event: TimelineEvent, labels: EventLabel[], context: FeedContext): string {
  if (labels.length === 0) return event.title;
  const pattern = context.locale.labels.feed_labelled_title ?? '{labels}: {title}';
  return fillLabel(pattern, { labels: labels.map((l) => l.text).join(' · '), title: event.title });
}

/** The entry's body as HTML: labels, summary, sources. */
function entryHtml(event: TimelineEvent, labels: EventLabel[], context: FeedContext): string {
  const parts: string[] = [];
  if (labels.length) parts.push(`<p><strong>${escapeHtml(labels.map((l) => l.text).join(' · '))}</strong></p>`);
  if (event.summary) parts.push(`<p>${context.summaries.html(event.summary)}</p>`);
  if (event.sources.length) {
    const list = event.sources.map((s) => {
      const name = escapeHtml([s.title, s.publisher].filter(Boolean).join(', ') || s.url || '');
      return s.url ? `<a href="${escapeHtml(s.url)}">${name}</a>` : name;
    });
    parts.push(`<p>${escapeHtml(sourcesLine(context)).replace('{sources}', () => list.join(' · '))}</p>`);
  }
  return parts.join('');
}

/** The entry's body as plain text: the same, for fields that are not HTML. */
function entryText(event: TimelineEvent, labels: EventLabel[], context: FeedContext): string {
  const parts: string[] = [];
  if (labels.length) parts.push(labels.map((l) => l.text).join(' · '));
  if (event.summary) parts.push(context.summaries.text(event.summary));
  if (event.sources.length) {
    const list = event.sources.map((s) => {
      const name = [s.title, s.publisher].filter(Boolean).join(', ');
      return name && s.url ? `${name} <${s.url}>` : name || s.url || '';
    });
    parts.push(sourcesLine(context).replace('{sources}', () => list.join(' · ')));
  }
  return parts.join('\n\n') || event.title;
}

const sourcesLine = (context: FeedContext) => context.locale.labels.feed_sources ?? 'Sources: {sources}';

const dayToDate = (day: string) => new Date(`${day}T00:00:00Z`);
const dayToTimestamp = (day: string) => `${day}T00:00:00Z`;

/** The feed's own `updated`: its newest entry's, so a feed that did not change keeps its date. */
function feedUpdated(entries: TimelineEvent[], timeline: Timeline): string {
  let latest: string | undefined;
  for (const event of entries) {
    const day = publishedDay(event, timeline)!;
    if (!latest || day > latest) latest = day;
  }
  return latest ?? timeline.asOf ?? timeline.now;
}

/** Who publishes the timeline: RFC 4287 requires an author; the newsletter's name, else the title. */
function publisherName(timeline: Timeline): string {
  return timeline.newsletter.name ?? timeline.title;
}

// ---------------------------------------------------------------------------------------------- Atom

/** XML text: escaped, and without the control characters XML 1.0 cannot hold. */
function xml(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return escapeHtml(text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));
}

/** One `<entry>` of the Atom feed. */
export function renderAtomEntry(event: TimelineEvent, context: FeedContext): string {
  const labels = eventLabels(event, context);
  const day = dayToTimestamp(publishedDay(event, context.timeline)!);
  const categories = [...event.tags.map((key) => ({ term: key, text: context.timeline.tags[key] ?? key })), ...labels];
  return [
    '  <entry>',
    `    <id>urn:chronicle:event:${xml(event.id)}</id>`,
    `    <title>${xml(labelledTitle(event, labels, context))}</title>`,
    ...(context.baseUrl ? [`    <link rel="alternate" type="text/html" href="${xml(permalinkOf(event, context.baseUrl))}"/>`] : []),
    `    <published>${day}</published>`,
    `    <updated>${day}</updated>`,
    ...categories.map((c) => `    <category term="${xml(c.term)}" label="${xml(c.text)}"/>`),
    `    <content type="html">${xml(entryHtml(event, labels, context))}</content>`,
    '  </entry>',
  ].join('\n');
}

function atomFeed(
  entries: TimelineEvent[],
  context: FeedContext,
  entry: (event: TimelineEvent) => string = (event) => renderAtomEntry(event, context),
): string {
  const { timeline, baseUrl } = context;
  const head = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xml(timeline.locale)}">`,
    `  <id>${xml(baseUrl ?? `urn:chronicle:${slugify(timeline.title)}`)}</id>`,
    `  <title>${xml(timeline.title)}</title>`,
    ...(timeline.description ? [`  <subtitle>${xml(timeline.description)}</subtitle>`] : []),
    `  <updated>${dayToTimestamp(feedUpdated(entries, timeline))}</updated>`,
    `  <author><name>${xml(publisherName(timeline))}</name>${baseUrl ? `<uri>${xml(baseUrl)}</uri>` : ''}</author>`,
    ...(baseUrl
      ? [
          `  <link rel="alternate" type="text/html" href="${xml(baseUrl)}"/>`,
          `  <link rel="self" type="application/atom+xml" href="${xml(new URL('feed.xml', baseUrl).href)}"/>`,
        ]
      : []),
    '  <generator>chronicle</generator>',
  ];
  return `${[...head, ...entries.map(entry), '</feed>'].join('\n')}\n`;
}

// ----------------------------------------------------------------------------------------- JSON Feed

/** One item of the JSON Feed. */
export function renderJsonFeedItem(event: TimelineEvent, context: FeedContext): Record<string, unknown> {
  const { timeline } = context;
  const labels = eventLabels(event, context);
  const published = dayToDate(publishedDay(event, timeline)!).toISOString();
  const tags = [...event.tags.map((key) => timeline.tags[key] ?? key), ...labels.map((l) => l.text)];
  return {
    id: event.id,
    url: permalinkOf(event, context.baseUrl),
    title: labelledTitle(event, labels, context),
    content_html: entryHtml(event, labels, context) || escapeHtml(event.title),
    content_text: entryText(event, labels, context),
    ...(event.summary ? { summary: context.summaries.text(event.summary) } : {}),
    date_published: published,
    date_modified: published,
    ...(tags.length ? { tags } : {}),
    ...(event.sources[0]?.url ? { external_url: event.sources[0].url } : {}),
  };
}

function jsonFeed(entries: TimelineEvent[], context: FeedContext): string {
  return `${JSON.stringify(
    jsonFeedObject(entries, context, (event) => renderJsonFeedItem(event, context)),
    null,
    2,
  )}\n`;
}

/** The same text with each item's text made apart (and kept): JSON.stringify with an indent writes
 * the items last, each one as its own text indented by four more spaces (no JSON string holds a raw
 * newline), separated by `,` and a newline. */
function jsonFeedOfItems(entries: TimelineEvent[], context: FeedContext, item: (event: TimelineEvent) => string): string {
  const text = JSON.stringify(
    jsonFeedObject([], context, () => ({})),
    null,
    2,
  );
  if (entries.length === 0) return `${text}\n`;
  const EMPTY_END = '[]\n}';
  return `${text.slice(0, -EMPTY_END.length)}[\n    ${entries.map(item).join(',\n    ')}\n  ]\n}\n`;
}

function jsonFeedItemText(event: TimelineEvent, context: FeedContext): string {
  return JSON.stringify(renderJsonFeedItem(event, context), null, 2).replaceAll('\n', '\n    ');
}

function jsonFeedObject(entries: TimelineEvent[], context: FeedContext, item: (event: TimelineEvent) => unknown): Record<string, unknown> {
  const { timeline, baseUrl } = context;
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: timeline.title,
    ...(baseUrl ? { home_page_url: baseUrl, feed_url: new URL('feed.json', baseUrl).href } : {}),
    ...(timeline.description ? { description: timeline.description } : {}),
    authors: [{ name: publisherName(timeline), ...(baseUrl ? { url: baseUrl } : {}) }],
    language: timeline.locale,
    // Last: jsonFeedOfItems writes the items after the rest.
    items: entries.map(item),
  };
}

// -------------------------------------------------------------------------------------- iCalendar

/** Calendar apps poll a subscribed calendar at this interval (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
export const CALENDAR_REFRESH_SECONDS = 24 * 60 * 60;

/**
 * A UID no other site's calendar shares: `{id}@{host}` of base_url (with its path when the timeline
 * is not at the root: `{id}.{path}@{host}`); without base_url, `{id}@{title}.chronicle.invalid`,
 * unique per timeline title (the reserved `.invalid` says it names no real host).
 */
export function calendarUid(eventId: string, timeline: Timeline, baseUrl: string | undefined): string {
  if (!baseUrl) return `${eventId}@${slugify(timeline.title) || 'timeline'}.chronicle.invalid`;
  const url = new URL(baseUrl);
  const words = url.pathname.replace(/\//g, ' ').trim();
  const path = words ? slugify(words) : '';
  return `${eventId}${path ? `.${path}` : ''}@${url.hostname}`;
}

/** TENTATIVE when it may not happen as written (rumored, postponed, claimed, disputed, approximate
 * or uncertain date), CANCELLED when called off, else CONFIRMED. */
export function calendarStatus(event: TimelineEvent): Ical.ICalEventStatus {
  const { ICalEventStatus } = icalGenerator();
  if (event.status === 'cancelled') return ICalEventStatus.CANCELLED;
  if (
    event.status === 'rumored' ||
    event.status === 'postponed' ||
    event.certainty === 'claimed' ||
    event.certainty === 'disputed' ||
    event.date?.start.qualifier
  ) {
    return ICalEventStatus.TENTATIVE;
  }
  return ICalEventStatus.CONFIRMED;
}

function upcomingCalendar(events: TimelineEvent[], context: FeedContext): string {
  const { timeline, baseUrl } = context;
  const calendar = icalGenerator().default({
    name: timeline.title,
    prodId: { company: 'chronicle', product: 'timeline', language: timeline.locale.toUpperCase() },
    ttl: CALENDAR_REFRESH_SECONDS,
  });
  for (const event of events) {
    // Every event of a calendar of upcoming events is upcoming: that label says nothing there.
    const labels = eventLabels(event, context).filter((l) => l.term !== 'status-upcoming');
    calendar.createEvent({
      id: calendarUid(event.id, timeline, baseUrl),
      start: dayToDate(event.date!.lower),
      allDay: true,
      stamp: dayToDate(timeline.now),
      summary: labelledTitle(event, labels, context),
      description: entryText(event, labels, context),
      status: calendarStatus(event),
      categories: labels.map((l) => ({ name: l.text })),
      ...(baseUrl ? { url: permalinkOf(event, baseUrl) } : {}),
    });
  }
  return calendar.toString();
}

// ------------------------------------------------------------------------------------- TimelineJS

/** A slide's date (properties set one by one, not spread: this runs for every dated event). */
const dateParts = (day: string, precision: string): Record<string, string> => {
  const parts: Record<string, string> = { year: day.slice(0, 4) };
  if (precision === 'month' || precision === 'day') parts.month = String(Number(day.slice(5, 7)));
  if (precision === 'day') parts.day = String(Number(day.slice(8, 10)));
  return parts;
};

/** One slide of TimelineJS3's JSON (https://timeline.knightlab.com/docs/json-format.html); dated
 * events only: TimelineJS cannot place an undated one. Its text fields are HTML. */
export function renderTimelineJsSlide(event: TimelineEvent, context: FeedContext): Record<string, unknown> {
  const date = event.date!;
  const labels = eventLabels(event, context);
  const tag = event.tags[0];
  // Properties in JSON.stringify's order, set one by one (no spread objects per slide).
  const slide: Record<string, unknown> = { unique_id: event.id, start_date: dateParts(date.start.lower, date.start.precision) };
  if (date.end && date.end !== 'open') slide.end_date = dateParts(date.end.lower, date.end.precision);
  // TimelineJS would write "2025" for "c. 2025" and a quarter as its first month: give our text.
  slide.display_date = escapeHtml(event.displayDate ?? formatEventDate(date, context.locale.dates));
  slide.text = { headline: escapeHtml(event.title), text: entryHtml(event, labels, context) };
  if (tag) slide.group = escapeHtml(context.timeline.tags[tag] ?? tag);
  if (event.image?.url) slide.media = timelineJsMedia(event.image, context.baseUrl);
  return slide;
}

/** TimelineJS's media object: absolute with base_url, else relative to timeline.json (beside the page). */
function timelineJsMedia(image: NonNullable<TimelineEvent['image']>, baseUrl: string | undefined): Record<string, string> {
  const url = image.url!;
  return {
    url: baseUrl && !/^https:\/\//i.test(url) ? new URL(url, baseUrl).href : url,
    alt: image.alt,
    caption: '',
    credit: image.credit ? escapeHtml(image.credit) : '',
    ...(image.link ? { link: image.link } : {}),
  };
}

function timelineJs(context: FeedContext): string {
  const { timeline } = context;
  const dated = timeline.events.filter((e) => e.date);
  const data = { title: timelineJsTitle(timeline), events: dated.map((event) => renderTimelineJsSlide(event, context)) };
  return `${JSON.stringify(data)}\n`;
}

function timelineJsTitle(timeline: Timeline) {
  return { text: { headline: escapeHtml(timeline.title), text: escapeHtml(timeline.description ?? '') } };
}

const SLIDES_START = '{"events":[';
const SLIDES_END = ']}';
/** Slides joined into one part at a time: 100,000 events' timeline.json is never one string. */
const SLIDES_PER_PART = 500;

/**
 * timeline.json in parts, made as they are read, with the bytes of `JSON.stringify(data)`: slides are
 * stringified a part at a time and cut out of `{"events":[...]}`. With fragments, slides are kept
 * between builds a run of events at a time. The file is written without indentation: it is read by
 * TimelineJS, not by people, and indenting it cost 40% of its bytes and, at 100,000 events, most of
 * its time (JSON.stringify with a gap leaves V8's fast path).
 */
export function* timelineJsParts(
  timeline: Timeline,
  baseUrl: string | undefined,
  locale: LocaleFile,
  cache?: FeedFragments,
): Generator<string | Buffer> {
  const context: FeedContext = { timeline, baseUrl, locale, summaries: cache?.summaries ?? directSummaries };
  const head = JSON.stringify({ title: timelineJsTitle(timeline), events: [] });
  // The dated events, cut where their year changes: from the walk the page made (walk.ts).
  const { stretches } = walkTimeline(timeline);
  if (stretches.length === 0) {
    yield `${head}\n`;
    return;
  }
  // Slides stringified inside `{"events":[...]}` and cut out of it.
  const slides = (events: TimelineEvent[]) => {
    const text = JSON.stringify({ events: events.map((event) => renderTimelineJsSlide(event, context)) });
    return text.slice(SLIDES_START.length, -SLIDES_END.length);
  };
  yield `${head.slice(0, -']}'.length)}`;
  if (cache) {
    // With fragments, slides are kept a run of events at a time (src/pipeline/chunks.ts): an added
    // event makes one run's slides again, and a run that did not change is written as it was read.
    // Runs are cut within each year's stretch of slides, whose run keys are kept by the stretch's
    // digest: a year that did not change is not walked again (chunks.ts keptRuns). A year's stretch
    // is mostly the very list of the page's year, whose digest is then not made again (list-digest.ts).
    const base = hashKey(renderCodeFingerprint(), 'timeline.json slides, compact');
    let first = true;
    for (const stretch of stretches) {
      const listKey = hashKey(base, 'runs of a list', listDigest(stretch, cache.eventKey));
      const kept = keptRuns(cache.fragments, listKey, () =>
        runsOf(stretch, (event) => cutKey(event, cache.eventKey)).map((run) => ({
          key: hashKey(base, run.map(cache.eventKey).join('\u0000')),
          render: () => slides(run),
        })),
      );
      for (const value of kept) {
        if (!first) yield ',';
        first = false;
        yield value;
      }
    }
  } else {
    const dated = timeline.events.filter((e) => e.date);
    for (let at = 0; at < dated.length; at += SLIDES_PER_PART) {
      const text = slides(dated.slice(at, at + SLIDES_PER_PART));
      yield at + SLIDES_PER_PART < dated.length ? `${text},` : text;
    }
  }
  yield ']}\n';
}
