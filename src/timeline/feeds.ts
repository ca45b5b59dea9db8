// The timeline's feeds: Atom (the `feed` library), JSON Feed 1.1 (plain JSON: the format is JSON),
// iCalendar of dated upcoming events (ical-generator) and TimelineJS3 data. Pure and deterministic:
// every date comes from the data or from "now".
import { Feed } from 'feed';
import ical, { ICalEventStatus } from 'ical-generator';
import type { Timeline, TimelineEvent } from '../events/model.js';
import { slugify } from '../events/new-event.js';
import { escapeHtml } from '../render/escape.js';
import { renderInlineMarkdown } from '../render/markdown.js';
import { isComingUp, permalinkOf } from './view.js';

export interface FeedFiles {
  'feed.xml': string;
  'feed.json': string;
  'upcoming.ics': string;
  'timeline.json': string;
}

export function renderFeeds(timeline: Timeline, baseUrl: string | undefined): FeedFiles {
  return {
    'feed.xml': atomFeed(timeline, baseUrl),
    'feed.json': jsonFeed(timeline, baseUrl),
    'upcoming.ics': upcomingCalendar(timeline, baseUrl),
    'timeline.json': timelineJs(timeline),
  };
}

/**
 * Feed readers poll a feed again and again: it carries the newest events, not the whole archive
 * (timeline.json and the page have everything).
 */
export const FEED_ITEMS = 100;

/** Dated events, newest first (by first day, then file order reversed). */
function newestFirst(timeline: Timeline): TimelineEvent[] {
  const dated: TimelineEvent[] = [];
  for (let i = timeline.events.length - 1; i >= 0 && dated.length < FEED_ITEMS; i--) {
    const event = timeline.events[i]!;
    if (event.date) dated.push(event);
  }
  return dated;
}

const dayToDate = (day: string) => new Date(`${day}T00:00:00Z`);

function atomFeed(timeline: Timeline, baseUrl: string | undefined): string {
  const feed = new Feed({
    id: baseUrl ?? `urn:chronicle:${slugify(timeline.title)}`,
    title: timeline.title,
    ...(timeline.description ? { description: timeline.description } : {}),
    ...(baseUrl ? { link: baseUrl, feedLinks: { atom: new URL('feed.xml', baseUrl).href, json: new URL('feed.json', baseUrl).href } } : {}),
    language: timeline.locale,
    updated: dayToDate(timeline.now),
    copyright: '',
    generator: 'chronicle',
  });
  for (const event of newestFirst(timeline)) {
    const id = `urn:chronicle:event:${event.id}`;
    feed.addItem({
      // The feed library marks titles and summaries as HTML: give it escaped text, never markup.
      title: escapeHtml(event.title),
      id,
      // Without a base URL there is no absolute permalink; the library needs an absolute link.
      link: baseUrl ? permalinkOf(event, baseUrl) : id,
      date: dayToDate(event.date!.lower),
      ...(event.summary ? { description: escapeHtml(event.summary), content: renderInlineMarkdown(event.summary) } : {}),
      category: event.tags.map((key) => ({ name: escapeHtml(timeline.tags[key] ?? key), term: key })),
    });
  }
  return feed.atom1();
}

function jsonFeed(timeline: Timeline, baseUrl: string | undefined): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: timeline.title,
    ...(baseUrl ? { home_page_url: baseUrl, feed_url: new URL('feed.json', baseUrl).href } : {}),
    ...(timeline.description ? { description: timeline.description } : {}),
    language: timeline.locale,
    items: newestFirst(timeline).map((event) => ({
      id: event.id,
      url: permalinkOf(event, baseUrl),
      title: event.title,
      ...(event.summary
        ? { content_html: renderInlineMarkdown(event.summary), content_text: event.summary }
        : { content_text: event.title }),
      date_published: dayToDate(event.date!.lower).toISOString(),
      ...(event.tags.length ? { tags: event.tags.map((key) => timeline.tags[key] ?? key) } : {}),
      ...(event.sources[0]?.url ? { external_url: event.sources[0].url } : {}),
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

const CALENDAR_STATUS: Record<string, ICalEventStatus> = {
  rumored: ICalEventStatus.TENTATIVE,
  postponed: ICalEventStatus.TENTATIVE,
  cancelled: ICalEventStatus.CANCELLED,
};

function upcomingCalendar(timeline: Timeline, baseUrl: string | undefined): string {
  const calendar = ical({
    name: timeline.title,
    prodId: { company: 'chronicle', product: 'timeline', language: timeline.locale.toUpperCase() },
  });
  const upcoming = timeline.events.filter(
    (e) =>
      e.date &&
      e.date.precision === 'day' &&
      !e.date.end &&
      e.date.lower >= timeline.now &&
      (isComingUp(e, timeline.now) || e.status === 'cancelled' || e.status === 'postponed'),
  );
  for (const event of upcoming) {
    calendar.createEvent({
      id: `${event.id}@chronicle`,
      start: dayToDate(event.date!.lower),
      allDay: true,
      stamp: dayToDate(timeline.now),
      summary: event.title,
      ...(event.summary ? { description: event.summary } : {}),
      status: CALENDAR_STATUS[event.status] ?? ICalEventStatus.CONFIRMED,
      ...(baseUrl ? { url: permalinkOf(event, baseUrl) } : {}),
    });
  }
  return calendar.toString();
}

/** TimelineJS3's JSON: https://timeline.knightlab.com/docs/json-format.html */
function timelineJs(timeline: Timeline): string {
  const parts = (day: string, precision: string) => ({
    year: day.slice(0, 4),
    ...(precision === 'month' || precision === 'day' ? { month: String(Number(day.slice(5, 7))) } : {}),
    ...(precision === 'day' ? { day: String(Number(day.slice(8, 10))) } : {}),
  });
  const data = {
    // TimelineJS shows these as HTML: escape text, and give summaries as rendered (safe) Markdown.
    title: { text: { headline: escapeHtml(timeline.title), text: escapeHtml(timeline.description ?? '') } },
    events: timeline.events
      .filter((e) => e.date)
      .map((event) => ({
        unique_id: event.id,
        start_date: parts(event.date!.start.lower, event.date!.start.precision),
        ...(event.date!.end && event.date!.end !== 'open' ? { end_date: parts(event.date!.end.lower, event.date!.end.precision) } : {}),
        ...(event.displayDate ? { display_date: escapeHtml(event.displayDate) } : {}),
        text: { headline: escapeHtml(event.title), text: event.summary ? renderInlineMarkdown(event.summary) : '' },
        ...(event.tags[0] ? { group: escapeHtml(timeline.tags[event.tags[0]] ?? event.tags[0]) } : {}),
      })),
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}
