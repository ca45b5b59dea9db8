// The timeline page as data: what the templates show, already localised and grouped. Pure.
import { dateTimeAttribute, formatDay, formatEventDate } from '../events/dates.js';
import type { Timeline, TimelineEvent } from '../events/model.js';
import { FORWARD_STATUSES } from '../events/schema.js';
import { fillLabel } from '../render/fill.js';
import type { LocaleFile } from '../render/locales.js';
import { renderInlineMarkdown } from '../render/markdown.js';
import { renderTimePicture, type TimePicture } from './time-picture.js';

export interface Badge {
  kind: string;
  text: string;
}

export interface EventView {
  id: string;
  anchor: string;
  title: string;
  dateText: string;
  datetime?: string;
  summaryHtml?: string;
  headline: boolean;
  /** Claimed or disputed: the picture of time counts these apart. */
  claim: boolean;
  badges: Badge[];
  actors: { key: string; name: string }[];
  tags: { key: string; label: string }[];
  sources: { url?: string; title?: string; publisher?: string; dateText?: string; datetime?: string }[];
  related: { anchor: string; title: string }[];
  permalink: string;
  /** Lowercased words for the page's search (title, summary, actors, tags). */
  searchText: string;
  actorKeys: string;
  tagKeys: string;
}

export interface PageView {
  lang: string;
  title: string;
  description?: string;
  asOfText?: string;
  canonical?: string;
  labels: Record<string, string>;
  /** Each year's events stay raw until its part of the page is rendered (see page.ts): a page of
   * 100,000 events never holds all their views at once. */
  years: { year: string; anchor: string; count: number; events: TimelineEvent[]; estimate: number }[];
  toEventView: (event: TimelineEvent) => EventView;
  /** Big pages render each year's list only when it comes near the viewport (content-visibility). */
  large: boolean;
  comingUp: EventView[];
  total: number;
  tags: { key: string; label: string; count: number }[];
  actors: { key: string; name: string; count: number }[];
  feeds: { atom: string; json: string; calendar: string; timelinejs: string };
  /** JSON-LD, safe inside a <script> element. */
  jsonLd: string;
  /** The picture of time (inline SVG in a figure, and its CSS). */
  picture: TimePicture;
}

/** Events that the page lists under "Coming up": forward-looking and not yet past (or undated). */
/** Above this many events, off-screen years are left unrendered until they scroll near. */
const LARGE_PAGE = 300;

export function isComingUp(event: TimelineEvent, now: string): boolean {
  return FORWARD_STATUSES.has(event.status) && (!event.date || event.date.upper >= now);
}

export function permalinkOf(event: Pick<TimelineEvent, 'id'>, baseUrl: string | undefined): string {
  const anchor = `#event-${event.id}`;
  return baseUrl ? new URL(anchor, baseUrl).href : anchor;
}

export function buildPageView(timeline: Timeline, locale: LocaleFile, options: { baseUrl?: string } = {}): PageView {
  const labels = locale.labels;
  const baseUrl = options.baseUrl ?? timeline.baseUrl;
  const titles = new Map(timeline.events.map((e) => [e.id, e.title]));
  const toView = (event: TimelineEvent): EventView => eventView(event, timeline, locale, titles);
  const comingUp: EventView[] = [];
  const byYear = new Map<string, TimelineEvent[]>();
  for (const event of timeline.events) {
    if (isComingUp(event, timeline.now)) {
      comingUp.push(toView(event));
      continue;
    }
    const year = event.date ? event.date.lower.slice(0, 4) : '';
    const list = byYear.get(year) ?? [];
    list.push(event);
    byYear.set(year, list);
  }
  const tagCounts = countBy(timeline.events.flatMap((e) => e.tags));
  const actorCounts = countBy(timeline.events.flatMap((e) => e.actors));
  return {
    lang: timeline.locale,
    title: timeline.title,
    ...(timeline.description ? { description: timeline.description } : {}),
    ...(timeline.asOf ? { asOfText: fillLabel(labels.as_of ?? '{date}', { date: formatDay(timeline.asOf, locale.dates) }) } : {}),
    ...(baseUrl ? { canonical: baseUrl } : {}),
    labels,
    // An estimate of each year's height (rem) so the scrollbar is right before a year is rendered.
    years: [...byYear].map(([year, events]) => ({
      year,
      anchor: `year-${year}`,
      count: events.length,
      events,
      estimate: events.length * 13,
    })),
    toEventView: toView,
    large: timeline.events.length > LARGE_PAGE,
    comingUp,
    total: timeline.events.length,
    tags: Object.entries(timeline.tags)
      .map(([key, label]) => ({ key, label, count: tagCounts.get(key) ?? 0 }))
      .filter((t) => t.count > 0),
    actors: Object.entries(timeline.entities)
      .map(([key, entity]) => ({ key, name: entity.name, count: actorCounts.get(key) ?? 0 }))
      .filter((a) => a.count > 0)
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    feeds: { atom: 'feed.xml', json: 'feed.json', calendar: 'upcoming.ics', timelinejs: 'timeline.json' },
    jsonLd: scriptSafeJson(jsonLd(timeline, baseUrl)),
    picture: renderTimePicture({
      events: timeline.events,
      now: timeline.now,
      lang: timeline.locale,
      labels,
      formatDate: (date) => formatEventDate(date, locale.dates),
      isComingUp: (event) => isComingUp(event, timeline.now),
      eventHref: (event) => `#event-${event.id}`,
      yearHref: (year) => `#year-${year}`,
    }),
  };
}

function eventView(event: TimelineEvent, timeline: Timeline, locale: LocaleFile, titles: Map<string, string>): EventView {
  const labels = locale.labels;
  const entityName = (key: string) => timeline.entities[key]?.name ?? key;
  const badges: Badge[] = [];
  if (event.importance === 1) badges.push({ kind: 'headline', text: labels.headline ?? 'Headline' });
  if (event.status !== 'happened') badges.push({ kind: `status-${event.status}`, text: labels[`status_${event.status}`] ?? event.status });
  if (event.certainty === 'claimed') {
    badges.push({
      kind: 'claimed',
      text: event.claimedBy ? fillLabel(labels.claimed ?? '', { claimant: entityName(event.claimedBy) }) : (labels.claimed_anonymous ?? ''),
    });
  } else if (event.certainty === 'disputed' || event.certainty === 'confirmed') {
    badges.push({ kind: event.certainty, text: labels[event.certainty] ?? event.certainty });
  }
  const actors = event.actors.map((key) => ({ key, name: entityName(key) }));
  const tags = event.tags.map((key) => ({ key, label: timeline.tags[key] ?? key }));
  return {
    id: event.id,
    anchor: `event-${event.id}`,
    title: event.title,
    dateText: event.displayDate ?? (event.date ? formatEventDate(event.date, locale.dates) : (labels.undated ?? '')),
    ...(event.date ? { datetime: dateTimeAttribute(event.date) } : {}),
    ...(event.summary ? { summaryHtml: renderInlineMarkdown(event.summary) } : {}),
    headline: event.importance === 1,
    claim: event.certainty === 'claimed' || event.certainty === 'disputed',
    badges,
    actors,
    tags,
    sources: event.sources.map((s) => ({
      ...(s.url ? { url: s.url } : {}),
      ...(s.title ? { title: s.title } : {}),
      ...(s.publisher ? { publisher: s.publisher } : {}),
      ...(s.date ? { dateText: formatEventDate(s.date, locale.dates), datetime: dateTimeAttribute(s.date) } : {}),
    })),
    related: event.related.filter((id) => titles.has(id)).map((id) => ({ anchor: `event-${id}`, title: titles.get(id)! })),
    permalink: `#event-${event.id}`,
    searchText: [event.title, event.summary ?? '', ...actors.map((a) => a.name), ...tags.map((t) => t.label)].join(' ').toLowerCase(),
    actorKeys: event.actors.join(' '),
    tagKeys: event.tags.join(' '),
  };
}

/** schema.org ItemList of Event, at each event's precision. */
function jsonLd(timeline: Timeline, baseUrl: string | undefined): unknown {
  const status: Record<string, string> = {
    cancelled: 'https://schema.org/EventCancelled',
    postponed: 'https://schema.org/EventPostponed',
  };
  return {
    '@context': 'https://schema.org',
    '@type': 'ItemList',
    name: timeline.title,
    ...(timeline.description ? { description: timeline.description } : {}),
    itemListElement: timeline.events.map((event, i) => ({
      '@type': 'ListItem',
      position: i + 1,
      item: {
        '@type': 'Event',
        '@id': permalinkOf(event, baseUrl),
        name: event.title,
        ...(event.summary ? { description: event.summary } : {}),
        ...(event.date ? { startDate: isoAtPrecision(event.date.start.lower, event.date.start.precision) } : {}),
        ...(event.date?.end && event.date.end !== 'open'
          ? { endDate: isoAtPrecision(event.date.end.lower, event.date.end.precision) }
          : {}),
        eventStatus: status[event.status] ?? 'https://schema.org/EventScheduled',
        ...(event.actors.length
          ? { about: event.actors.map((key) => ({ '@type': 'Thing', name: timeline.entities[key]?.name ?? key })) }
          : {}),
        ...(event.sources.length
          ? {
              subjectOf: event.sources.map((s) => ({
                '@type': 'CreativeWork',
                ...(s.title ? { name: s.title } : {}),
                ...(s.url ? { url: s.url } : {}),
                ...(s.publisher ? { publisher: { '@type': 'Organization', name: s.publisher } } : {}),
              })),
            }
          : {}),
      },
    })),
  };
}

function isoAtPrecision(lower: string, precision: string): string {
  return precision === 'day' ? lower : precision === 'month' ? lower.slice(0, 7) : lower.slice(0, 4);
}

/** JSON that cannot close its <script> element or open a comment: `<` is written as \u003c. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function countBy(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
