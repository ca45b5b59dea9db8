// The timeline page as data: what the templates show, already localised and grouped. Pure.
import { dateTimeAttribute, type EventDate, formatDay, formatEventDate } from '../events/dates.js';
import type { Timeline, TimelineEvent } from '../events/model.js';
import { fillLabel } from '../render/fill.js';
import type { LocaleFile } from '../render/locales.js';
import { directSummaries, type Summaries } from '../render/summaries.js';
import { hasCalendarEvents } from './calendar-events.js';
import { unchangedEnds } from './changed-window.js';
import { type ListFacts, listFacts } from './list-facts.js';
import { layTimePicture, pictureDataOfLists, type TimePicture } from './time-picture.js';
import { isComingUp, walkTimeline } from './walk.js';
import { eventsById, type YearRulesStore, yearSizeCss } from './year-size.js';

export interface Badge {
  kind: string;
  text: string;
}

export interface EventView {
  id: string;
  anchor: string;
  /** Set when the content's language differs from the interface's: `lang` of the article, and
   * `uiLang` of the interface strings inside it. */
  lang?: string;
  uiLang?: string;
  title: string;
  dateText: string;
  datetime?: string;
  summaryHtml?: string;
  /** The event's picture, when it has one the page can show (a resolved local file or https). */
  image?: { src: string; alt: string; width?: number; height?: number; credit?: string; link?: string; linkText?: string };
  headline: boolean;
  /** Claimed or disputed: the picture of time counts these apart. */
  claim: boolean;
  badges: Badge[];
  actors: { key: string; name: string }[];
  tags: { key: string; label: string }[];
  sources: { url?: string; title?: string; publisher?: string; dateText?: string; datetime?: string }[];
  related: { href: string; title: string }[];
  permalink: string;
  actorKeys: string;
  /** Whether the facts line (actors, tags, sources) has anything to say. */
  facts: boolean;
  tagKeys: string;
  /** The interface's labels (the locale file's), the same object for every event. */
  labels: Record<string, string>;
}

export interface PageView {
  /** The interface's language; `contentLang` is the events file's, set only when it differs. */
  lang: string;
  contentLang?: string;
  title: string;
  /** The <title>: the timeline's, or a year's page of it. */
  pageTitle: string;
  /** The year of a year page. */
  pageYear?: string;
  description?: string;
  /** The meta description: the file's description, or one made from its events. */
  metaDescription: string;
  asOfText?: string;
  canonical?: string;
  /** The newest headline's picture, as an absolute address (og:image). */
  ogImage?: string;
  labels: Record<string, string>;
  /** Each year's events stay raw until its part of the page is rendered (see page.ts): a page of
   * 100,000 events never holds all their views at once. */
  years: { year: string; anchor: string; count: number; events: TimelineEvent[] }[];
  /** Every year of the timeline, with where its events are (an anchor here or a page of its own). */
  nav: { year: string; href: string }[];
  /** Where "Coming up" is ('' when it has no events): on the index. */
  comingUpHref: string;
  /** The search index to fetch for matches on other pages, when the timeline is split into pages. */
  searchIndex?: string;
  toEventView: (event: TimelineEvent) => EventView;
  /** The links of an event's view, which depend on the pages its related events are on, not on
   * its data: part of a cached article's key. */
  eventPlace: (event: TimelineEvent) => string;
  /** The pages an event's related events are on ('' for the index), in order: what its links
   * depend on besides its data and this page (part of a cached year's key; no link is made). */
  relatedFiles: (event: TimelineEvent) => string;
  /** What eventPlace says of this page's events that relate to none: the page's file ('' for the index). */
  place: string;
  /** Where in a year's list of events (one of `years`) the events with related events are, when
   * known without a walk over the list. */
  withRelated?: (events: readonly TimelineEvent[]) => readonly number[] | undefined;
  /** Big pages render each year's list only when it comes near the viewport (content-visibility). */
  large: boolean;
  /** On big pages: the rules that give each unrendered list its estimated height (year-size.ts). */
  yearSizeCss: string;
  comingUp: EventView[];
  total: number;
  tags: { key: string; label: string; count: number }[];
  actors: { key: string; name: string; count: number }[];
  feeds: { atom: string; json: string; calendar?: string; timelinejs: string };
  /** JSON-LD, safe inside a <script> element. */
  jsonLd: string;
  /** The picture of time (inline SVG in a figure, and its CSS). */
  picture: TimePicture;
}

/** Above this many events, off-screen years are left unrendered until they scroll near. */
const LARGE_PAGE = 300;
const NO_EVENTS = new Map<string, TimelineEvent>();

export function permalinkOf(event: Pick<TimelineEvent, 'id'>, baseUrl: string | undefined): string {
  const anchor = `#event-${event.id}`;
  return baseUrl ? new URL(anchor, baseUrl).href : anchor;
}

/** Above this many events the timeline is split: the index keeps the newest years (about
 * INDEX_EVENTS events) and each older year gets a page of its own (`2010.html`). */
const SPLIT_ABOVE = 2000;
const INDEX_EVENTS = 1000;
/** JSON-LD lists at most this many events a page (the newest; fewer on year pages): enough for search engines, not 900 bytes an event. */
const JSON_LD_EVENTS = 50;
const JSON_LD_EVENTS_YEAR_PAGE = 10;
export const SEARCH_INDEX = 'search.json';

/** The timeline's index page (library API; the build renders every page of buildPageViews). */
export function buildPageView(timeline: Timeline, locale: LocaleFile, options: { baseUrl?: string } = {}): PageView {
  return buildPageViews(timeline, locale, options)[0]!.view;
}

/** Every page of the timeline: `index.html` first, then one per older year when it is large. */
export function buildPageViews(
  timeline: Timeline,
  locale: LocaleFile,
  options: { baseUrl?: string; summaries?: Summaries } = {},
): { file: string; view: PageView; events: TimelineEvent[] }[] {
  return pageViews(timeline, locale, options).map(({ file, view, events }) => ({ file, view: view(), events }));
}

/** A page of the timeline: its file, its view (made when first asked for), its events in order,
 * and the same events as the lists they come in (its years, then the coming-up events). */
export interface PageOfTimeline {
  file: string;
  view: () => PageView;
  events: TimelineEvent[];
  groups: TimelineEvent[][];
}

/** The same, each page's view made when first asked for (serve makes a year's page only when it is
 * requested). */
export function pageViews(
  timeline: Timeline,
  locale: LocaleFile,
  options: {
    baseUrl?: string;
    summaries?: Summaries;
    yearRules?: YearRulesStore;
    /** Whoever keeps what one call works out for the next (serve's fragment store): see keyCounts. */
    keep?: object;
    /** Keeps the facts of a list of past events (a year) between builds: `make` makes them. */
    listFacts?: ListFactsStore;
    /** Keeps a page's JSON-LD list items between builds: `make` makes them. */
    jsonLdItems?: JsonLdItemsStore;
  } = {},
): PageOfTimeline[] {
  const labels = locale.labels;
  const summaries = options.summaries ?? directSummaries;
  const baseUrl = options.baseUrl ?? timeline.baseUrl;
  // datedSorted: then the years' kept facts add up to the picture of time (pictureDataOfLists).
  const { comingUp: comingUpEvents, byYear, datedSorted, relatedAt } = walkTimeline(timeline);
  // Which page each year is on ('' = the index).
  const fileOfYear = new Map<string, string>([...byYear.keys()].map((year) => [year, '']));
  if (timeline.events.length > SPLIT_ABOVE) {
    const newestFirst = [...byYear].reverse();
    let kept = comingUpEvents.length;
    newestFirst.forEach(([year, events], i) => {
      if (i > 0 && kept + events.length > INDEX_EVENTS) fileOfYear.set(year, `${year || 'undated'}.html`);
      else kept += events.length;
    });
  }
  const split = [...fileOfYear.values()].some(Boolean);
  // Kept between saves: the map is brought up to date rather than made again.
  if (options.keep) eventsById(timeline.events, options.keep);
  // Only an event with related events looks others up by id: most saves in serve make none of the map.
  const byIdFor = (event: TimelineEvent) => (event.related.length === 0 ? NO_EVENTS : eventsById(timeline.events));
  /** The page an event is on ('' for the index), from its year: no map of every event's page. */
  const fileOf = (event: TimelineEvent): string =>
    isComingUp(event, timeline.now) ? '' : (fileOfYear.get(event.date ? event.date.lower.slice(0, 4) : '') ?? '');
  /** The same by id ('' for an id no event has). */
  const fileOfId = (id: string): string => {
    const event = eventsById(timeline.events).get(id);
    return event ? fileOf(event) : '';
  };
  /** A link from a page to an event, relative: `#event-x` on the same page, else `2010.html#event-x`. */
  const link = (from: string, to: string, id: string) => (to === from ? `#event-${id}` : `${to || 'index.html'}#event-${id}`);
  const hrefFrom = (from: string, id: string) => link(from, fileOfId(id), id);
  const hrefTo = (from: string, event: TimelineEvent) => link(from, fileOf(event), event.id);
  const toView = (event: TimelineEvent): EventView => {
    const file = fileOf(event);
    return eventView(event, timeline, locale, byIdFor(event), (id) => hrefFrom(file, id), summaries);
  };
  const relatedFiles = (event: TimelineEvent): string => {
    let files = '';
    for (const id of event.related) files += ` ${fileOfId(id)}`;
    return files;
  };
  const eventPlace = (event: TimelineEvent): string => {
    const file = fileOf(event);
    if (event.related.length === 0) return file; // most events: no array to join, 10,000 times a build
    return [file, ...event.related.map((id) => hrefFrom(file, id))].join(' ');
  };
  // Kept per year (with a fragment store): the years' facts, added up, instead of a walk over every event.
  const facts = options.listFacts;
  const lists = facts && [...byYear.values()].map((events) => ({ events, facts: facts(events, () => listFacts(events, timeline.now)) }));
  const { tags: tagCounts, actors: actorCounts } = lists ? addedCounts(lists, comingUpEvents) : keyCounts(timeline.events, options.keep);
  const years = [...byYear].map(([year, events]) => ({
    year,
    anchor: `year-${year}`,
    count: events.length,
    events,
  }));
  const comingUp = comingUpEvents.map(toView);
  const lang = locale.code ?? timeline.locale;
  const image = ogImage(timeline, baseUrl);
  const shared = {
    lang,
    ...(lang !== timeline.locale ? { contentLang: timeline.locale } : {}),
    title: timeline.title,
    ...(timeline.description ? { description: timeline.description } : {}),
    metaDescription: timeline.description ?? madeDescription(timeline, labels),
    ...(image ? { ogImage: image } : {}),
    ...(timeline.asOf ? { asOfText: fillLabel(labels.as_of ?? '{date}', { date: formatDay(timeline.asOf, locale.dates) }) } : {}),
    labels,
    toEventView: toView,
    eventPlace,
    relatedFiles,
    withRelated: (events: readonly TimelineEvent[]) => relatedAt.get(events),
    total: timeline.events.length,
    tags: Object.entries(timeline.tags)
      .map(([key, label]) => ({ key, label, count: tagCounts.get(key) ?? 0 }))
      .filter((t) => t.count > 0),
    actors: Object.entries(timeline.entities)
      .map(([key, entity]) => ({ key, name: entity.name, count: actorCounts.get(key) ?? 0 }))
      .filter((a) => a.count > 0)
      // Names are the content's: collated by its language, never by the machine's (LANG=da_DK
      // sorted "Aa" last), so the same file gives the same page everywhere.
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, timeline.locale)),
    // An empty calendar is not written (RFC 5545 wants a component), so it is linked only with events.
    feeds: {
      atom: 'feed.xml',
      json: 'feed.json',
      ...(hasCalendarEvents(timeline) ? { calendar: 'upcoming.ics' } : {}),
      timelinejs: 'timeline.json',
    },
    ...(split ? { searchIndex: SEARCH_INDEX } : {}),
  };
  // Laid out once: only the links differ from page to page.
  const pictureInput = {
    events: timeline.events,
    now: timeline.now,
    lang, // the interface's: month names on the axis
    labels,
    formatDate: (date: EventDate) => formatEventDate(date, locale.dates),
    isComingUp: (event: TimelineEvent) => isComingUp(event, timeline.now),
  };
  const added = lists && datedSorted ? pictureDataOfLists(lists, comingUpEvents, timeline.events.length, timeline.now) : undefined;
  const picture = added ? layTimePicture(pictureInput, added) : layTimePicture(pictureInput);
  const pageView = (file: string): PageOfTimeline => {
    const here = years.filter((y) => fileOfYear.get(y.year) === file);
    const groups = [...here.map((y) => y.events), ...(file === '' && comingUpEvents.length > 0 ? [comingUpEvents] : [])];
    const events = groups.length === 1 ? groups[0]! : groups.flat();
    let made: PageView | undefined;
    return { file: file || 'index.html', view: () => (made ??= viewOf(file, here, events)), events, groups };
  };
  const viewOf = (file: string, here: typeof years, events: TimelineEvent[]): PageView => {
    const yearHref = (year: string) => {
      const to = fileOfYear.get(year) ?? '';
      return to === file ? `#year-${year}` : to || `index.html#year-${year}`;
    };
    const pageYear = file ? here[0]?.year : undefined;
    const view: PageView = {
      ...shared,
      place: file,
      pageTitle: pageYear !== undefined ? `${pageYear || labels.undated} · ${timeline.title}` : timeline.title,
      ...(pageYear !== undefined ? { pageYear: pageYear || (labels.undated ?? '') } : {}),
      ...(baseUrl ? { canonical: new URL(file, baseUrl).href } : {}),
      years: here,
      nav: years.map((y) => ({ year: y.year, href: yearHref(y.year) })),
      comingUpHref: comingUp.length ? (file === '' ? '#coming-up' : 'index.html#coming-up') : '',
      large: events.length > LARGE_PAGE,
      yearSizeCss: events.length > LARGE_PAGE ? yearSizeCss(here, timeline, labels, options.yearRules) : '',
      comingUp: file === '' ? comingUp : [],
      jsonLd: jsonLdText(
        timeline,
        events.slice(file ? -JSON_LD_EVENTS_YEAR_PAGE : -JSON_LD_EVENTS),
        baseUrl,
        (event) => hrefTo('', event),
        summaries,
        options.jsonLdItems,
      ),
      picture: picture({ eventHref: (event) => hrefTo(file, event), yearHref }),
    };
    return view;
  };
  return ['', ...new Set([...fileOfYear.values()].filter(Boolean))].map(pageView);
}

/** How many events have each tag and each actor, with the events they were counted from. */
interface KeyCounts {
  events: readonly TimelineEvent[];
  tags: Map<string, number>;
  actors: Map<string, number>;
}

/** A page's JSON-LD list items (script-safe JSON, without the brackets), kept or made: they depend
 * on the events listed and where each is (its link from the index). */
export type JsonLdItemsStore = (events: TimelineEvent[], hrefs: string[], make: () => string) => string;

/** A list's facts, kept or made: they depend on its events (and now, for open ends) only. */
export type ListFactsStore = (events: TimelineEvent[], make: () => ListFacts) => ListFacts;

/** The last counts of each keeper (serve's fragment store lives as long as the preview). */
const lastCounts = new WeakMap<object, KeyCounts>();

/**
 * The tag and actor counts of the events. With a keeper, the counts of its last call are brought up
 * to date: events are never changed once built, and a save in serve gives the same objects for the
 * items it did not change (events/item-cache.ts), so only the events between the unchanged start
 * and the unchanged end (by identity) are taken off and counted again. The counts are read by key
 * only, so a key counted down to 0 reads as one never counted.
 */
export function keyCounts(events: readonly TimelineEvent[], keep?: object): { tags: Map<string, number>; actors: Map<string, number> } {
  const last = keep ? lastCounts.get(keep) : undefined;
  let counts: KeyCounts | undefined;
  if (last) {
    const old = last.events;
    const ends = unchangedEnds(old, events);
    if (ends) {
      // Copies: the last save's views still hold its maps (a page of it may be served meanwhile).
      counts = { events, tags: new Map(last.tags), actors: new Map(last.actors) };
      count(counts, old, ends.start, old.length - ends.end, -1);
      count(counts, events, ends.start, events.length - ends.end, 1);
    }
  }
  if (!counts) {
    counts = { events, tags: new Map(), actors: new Map() };
    count(counts, events, 0, events.length, 1);
  }
  if (keep) lastCounts.set(keep, counts);
  return counts;
}

// Loops, not flatMap: this runs on every save in serve.
function count(counts: Omit<KeyCounts, 'events'>, events: readonly TimelineEvent[], from: number, to: number, by: 1 | -1): void {
  for (let i = from; i < to; i++) {
    const event = events[i]!;
    for (const key of event.tags) counts.tags.set(key, (counts.tags.get(key) ?? 0) + by);
    for (const key of event.actors) counts.actors.set(key, (counts.actors.get(key) ?? 0) + by);
  }
}

/** The tag and actor counts of the years' facts and of the coming-up events. */
function addedCounts(
  lists: { facts: ListFacts }[],
  comingUp: readonly TimelineEvent[],
): { tags: Map<string, number>; actors: Map<string, number> } {
  const counts = { tags: new Map<string, number>(), actors: new Map<string, number>() };
  for (const { facts } of lists) {
    for (const [key, n] of facts.tags) counts.tags.set(key, (counts.tags.get(key) ?? 0) + n);
    for (const [key, n] of facts.actors) counts.actors.set(key, (counts.actors.get(key) ?? 0) + n);
  }
  count(counts, comingUp, 0, comingUp.length, 1);
  return counts;
}

/** The newest headline's picture (else the newest picture), as an absolute address: a local file needs
 * base_url. */
export function ogImage(timeline: Timeline, baseUrl: string | undefined): string | undefined {
  const absolute = (url: string | undefined) =>
    !url ? undefined : /^https:\/\//i.test(url) ? url : baseUrl ? new URL(url, baseUrl).href : undefined;
  const shown = walkTimeline(timeline).pictured.filter((e) => absolute(e.image?.url));
  const chosen = shown.filter((e) => e.importance === 1).at(-1) ?? shown.at(-1);
  return absolute(chosen?.image?.url);
}

/** A meta description when the file has none: how many events, over which years, and the newest headlines. */
function madeDescription(timeline: Timeline, labels: Record<string, string>): string {
  const dated = timeline.events.filter((e) => e.date);
  const first = dated[0]?.date?.lower.slice(0, 4) ?? '';
  const last = dated.at(-1)?.date?.lower.slice(0, 4) ?? '';
  const headlines = timeline.events
    .filter((e) => e.importance === 1)
    .slice(-3)
    .reverse()
    .map((e) => e.title);
  const text = fillLabel(labels.meta_description ?? '{events} events from {first} to {last}.', {
    events: String(timeline.events.length),
    first,
    last,
  });
  return [text, ...headlines].join(' ').slice(0, 300);
}

function eventView(
  event: TimelineEvent,
  timeline: Timeline,
  locale: LocaleFile,
  byId: Map<string, TimelineEvent>,
  href: (id: string) => string,
  summaries: Summaries,
): EventView {
  const labels = locale.labels;
  const entityName = (key: string) => timeline.entities[key]?.name ?? key;
  const badges: Badge[] = [];
  if (event.importance === 1) badges.push({ kind: 'headline', text: labels.headline ?? 'Headline' });
  // Undated and upcoming: "Date to be announced" already says it.
  if (event.status !== 'happened' && !(event.status === 'upcoming' && !event.date && !event.displayDate))
    badges.push({ kind: `status-${event.status}`, text: labels[`status_${event.status}`] ?? event.status });
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
  // Properties set one by one in a fixed order (the order fragment keys and JSON see), without a
  // spread object per optional one: this runs for every event of every cold build.
  const view = { id: event.id, anchor: `event-${event.id}` } as EventView;
  if (locale.code && locale.code !== timeline.locale) {
    view.lang = timeline.locale;
    view.uiLang = locale.code;
  }
  view.title = event.title;
  view.dateText = event.displayDate ?? (event.date ? formatEventDate(event.date, locale.dates) : (labels.undated ?? ''));
  if (event.date) view.datetime = dateTimeAttribute(event.date);
  if (event.summary) view.summaryHtml = summaries.html(event.summary);
  if (event.image?.url) {
    view.image = {
      src: event.image.url,
      alt: event.image.alt,
      ...(event.image.width && event.image.height ? { width: event.image.width, height: event.image.height } : {}),
      ...(event.image.credit ? { credit: event.image.credit } : {}),
      ...(event.image.link ? { link: event.image.link, linkText: event.image.credit ?? new URL(event.image.link).hostname } : {}),
    };
  }
  view.headline = event.importance === 1;
  view.claim = event.certainty === 'claimed' || event.certainty === 'disputed';
  view.badges = badges;
  view.actors = actors;
  view.tags = tags;
  view.sources = event.sources.map((s) => {
    const source: EventView['sources'][number] = {};
    if (s.url) source.url = s.url;
    if (s.title) source.title = s.title;
    if (s.publisher) source.publisher = s.publisher;
    if (s.date) {
      source.dateText = formatEventDate(s.date, locale.dates);
      source.datetime = dateTimeAttribute(s.date);
    }
    return source;
  });
  view.related = event.related.filter((id) => byId.has(id)).map((id) => ({ href: href(id), title: byId.get(id)!.title }));
  view.permalink = href(event.id);
  view.actorKeys = event.actors.join(' ');
  view.facts = event.actors.length + event.tags.length + event.sources.length > 0;
  view.tagKeys = event.tags.join(' ');
  // The labels travel on the view: `{{> event}}` needs no `labels=` hash, which copied every view.
  view.labels = labels;
  return view;
}

/** The page's JSON-LD, safe inside a <script> element. With a keeper, its list items (every part
 * but the timeline's name, description and count, which an add changes) are kept between builds. */
function jsonLdText(
  timeline: Timeline,
  events: TimelineEvent[],
  baseUrl: string | undefined,
  href: (event: TimelineEvent) => string,
  summaries: Summaries,
  keep?: JsonLdItemsStore,
): string {
  if (!keep || events.length === 0) return scriptSafeJson(jsonLd(timeline, events, baseUrl, href, summaries));
  // The list is the object's last property: `..."itemListElement":[]}` takes the items before `]}`.
  // Escaping is per character, so the parts escaped apart are the whole escaped.
  const head = scriptSafeJson(jsonLd(timeline, [], baseUrl, href, summaries));
  const items = keep(events, events.map(href), () => scriptSafeJson(jsonLdItems(timeline, events, baseUrl, href, summaries)).slice(1, -1));
  return `${head.slice(0, -']}'.length)}${items}]}`;
}

/** schema.org ItemList of Event, at each event's precision. */
function jsonLd(
  timeline: Timeline,
  events: TimelineEvent[],
  baseUrl: string | undefined,
  href: (event: TimelineEvent) => string,
  summaries: Summaries,
): unknown {
  return {
    '@context': 'https://schema.org',
    '@type': 'ItemList',
    name: timeline.title,
    ...(timeline.description ? { description: timeline.description } : {}),
    numberOfItems: timeline.events.length,
    // Last: jsonLdText joins kept items in before the end.
    itemListElement: jsonLdItems(timeline, events, baseUrl, href, summaries),
  };
}

const EVENT_STATUS: Record<string, string> = {
  cancelled: 'https://schema.org/EventCancelled',
  postponed: 'https://schema.org/EventPostponed',
};

function jsonLdItems(
  timeline: Timeline,
  events: TimelineEvent[],
  baseUrl: string | undefined,
  href: (event: TimelineEvent) => string,
  summaries: Summaries,
): unknown[] {
  return events.map((event, i) => ({
    '@type': 'ListItem',
    position: i + 1,
    item: {
      '@type': 'Event',
      '@id': baseUrl ? new URL(href(event), baseUrl).href : href(event),
      name: event.title,
      ...(event.summary ? { description: summaries.text(event.summary) } : {}),
      ...(event.date ? { startDate: isoAtPrecision(event.date.start.lower, event.date.start.precision) } : {}),
      ...(event.date?.end && event.date.end !== 'open' ? { endDate: isoAtPrecision(event.date.end.lower, event.date.end.precision) } : {}),
      eventStatus: EVENT_STATUS[event.status] ?? 'https://schema.org/EventScheduled',
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
  }));
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
