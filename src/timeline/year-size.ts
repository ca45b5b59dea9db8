// A big page's years as short lists, and how tall each list is before it is rendered. A big page
// leaves off-screen lists unrendered (`content-visibility: auto`): short ones, so that what a filter
// shows again near the viewport is a few lists, not a whole year of hundreds of events. Each gets a
// placeholder height (`contain-intrinsic-size`) that must not fall short of the real one: when
// something lays a skipped list out on demand (axe, find-in-page, a script asking for a link's box),
// its content overflows a too-short placeholder onto the next list's links, and axe reports those
// links as overlapping (`target-size`). So the estimate errs a little high, at every width.
//
// Model, fitted on the generated 1,000-event file at content widths of 17-49 rem (Chromium, DejaVu
// Sans, the default style): an event is a fixed height plus its text's area divided by the content
// width; the aggregate error was within 3.5% at every width.
import type { Timeline, TimelineEvent } from '../events/model.js';
import { unchangedEnds } from './changed-window.js';

/** rem: the date line, the permalink, paddings and the 1rem margin between events. */
const EVENT_FIXED = 6.9;
const HEADLINE_FIXED = 1;
const RELATED_FIXED = 0.85;
/** rem² a character, by the block it is in (font size × line height × mean glyph width). */
const TITLE_AREA = 1.34;
const HEADLINE_TITLE_AREA = 1.75;
const SUMMARY_AREA = 0.91;
const FACTS_AREA = 0.76;
const RELATED_AREA = 0.82;
/** Margin over the model: fonts, and the spread of a year's events around the mean. */
const SAFETY = 1.1;
/** A picture: its height at the widest (36rem) plus its credit line; 20rem when its size is unknown. */
const PICTURE_MAX_WIDTH = 36;

/** Events a list on a big page. */
const LIST_EVENTS = 25;

/** A year's events as the lists of a big page. */
export function listsOf<T>(events: T[]): T[][] {
  const lists: T[][] = [];
  for (let i = 0; i < events.length; i += LIST_EVENTS) lists.push(events.slice(i, i + LIST_EVENTS));
  return lists;
}

/** A list's height in rem at content width w (rem): `fixed + text / w`. */
export interface ListSize {
  fixed: number;
  text: number;
}

/** Events by id, made once per timeline (not once per year: 30 years of 10,000 events made
 * 300,000 map entries a build): their titles for related links, and where they are. */
const byIds = new WeakMap<TimelineEvent[], Map<string, TimelineEvent>>();

/** The last map of each keeper (serve's fragment store), with the events it was made from. */
const lastByIds = new WeakMap<object, { events: TimelineEvent[]; byId: Map<string, TimelineEvent> }>();

/**
 * The timeline's events by id, made once per timeline (the page's view uses it too). With a keeper,
 * the map of its last timeline is taken over and brought up to date: only the events between the
 * unchanged start and the unchanged end (by identity: a save in serve keeps the objects of unchanged
 * items) are taken off and put in again. Ids are unique in a timeline, and the map is read by id
 * only. The last timeline loses the map (it would make a new one if asked again).
 */
export function eventsById(events: TimelineEvent[], keep?: object): Map<string, TimelineEvent> {
  let byId = byIds.get(events);
  if (byId) return byId;
  const last = keep ? lastByIds.get(keep) : undefined;
  if (last && byIds.get(last.events) === last.byId) {
    const old = last.events;
    const ends = unchangedEnds(old, events);
    if (ends) {
      byId = last.byId;
      byIds.delete(old);
      for (let i = ends.start; i < old.length - ends.end; i++) byId.delete(old[i]!.id);
      for (let i = ends.start; i < events.length - ends.end; i++) byId.set(events[i]!.id, events[i]!);
    }
  }
  if (!byId) {
    byId = new Map();
    for (const event of events) byId.set(event.id, event);
  }
  byIds.set(events, byId);
  if (keep) lastByIds.set(keep, { events, byId });
  return byId;
}

export function listSize(events: TimelineEvent[], timeline: Timeline, labels: Record<string, string>): ListSize {
  const titleOf = (id: string) => eventsById(timeline.events).get(id)?.title ?? id;
  let fixed = 1; // the margin below the last event
  let text = 0;
  for (const e of events) {
    const headline = e.importance === 1;
    fixed += EVENT_FIXED + (headline ? HEADLINE_FIXED : 0);
    text += e.title.length * (headline ? HEADLINE_TITLE_AREA : TITLE_AREA) + (e.summary?.length ?? 0) * SUMMARY_AREA;
    text += factsLength(e, timeline, labels) * FACTS_AREA;
    if (e.related.length) {
      fixed += RELATED_FIXED;
      text += ((labels.related?.length ?? 8) + e.related.reduce((n, id) => n + titleOf(id).length + 2, 0)) * RELATED_AREA;
    }
    if (e.image) fixed += 2 + (e.image.width && e.image.height ? (PICTURE_MAX_WIDTH * e.image.height) / e.image.width : 20);
  }
  return { fixed: round(fixed * SAFETY), text: round(text * SAFETY) };
}

/** The facts line as the event template writes it: actors, tags, then sources with publisher and date. */
function factsLength(e: TimelineEvent, timeline: Timeline, labels: Record<string, string>): number {
  let n = 0;
  if (e.actors.length)
    n += (labels.actors?.length ?? 6) + 2 + e.actors.reduce((s, a) => s + (timeline.entities[a]?.name ?? a).length + 2, 0);
  if (e.tags.length) n += (labels.tags?.length ?? 4) + 5 + e.tags.reduce((s, t) => s + (timeline.tags[t] ?? t).length + 2, 0);
  if (e.sources.length) {
    n += (labels.sources?.length ?? 7) + 5;
    for (const s of e.sources) n += (s.title ?? s.url ?? '').length + (s.publisher ? s.publisher.length + 2 : 0) + (s.date ? 16 : 0) + 2;
  }
  return n;
}

/**
 * The page's rules: each list's `--f`/`--t`, and one height rule a band of viewport widths, each taking
 * the narrowest content width in its band (the tallest layout). The content width is
 * `min(viewport, 52rem) - 3.19rem` (body padding, the event's border and indent).
 */
export function yearSizeCss(
  years: { anchor: string; events: TimelineEvent[] }[],
  timeline: Timeline,
  labels: Record<string, string>,
  /** Keeps a year's rules between builds (a fragment store): `make` makes them. */
  keep: YearRulesStore = (_year, make) => make(),
): string {
  const height = (w: number) => `.year ol.events{contain-intrinsic-size:auto calc((var(--f) + var(--t) / ${w}) * 1rem)}`;
  const bands = BANDS.map(([from, w]) => `@media (min-width:${from}em){${height(w)}}`).join('');
  const perYear = years.map((y) =>
    keep(y, () =>
      listsOf(y.events)
        .map((list, i) => {
          const size = listSize(list, timeline, labels);
          return `#${y.anchor} ol:nth-of-type(${i + 1}){--f:${size.fixed};--t:${size.text}}`;
        })
        .join(''),
    ),
  );
  // A list contains its events' margins: the next list moves up by one so the gap stays 1rem.
  const lists = '.year ol.events{content-visibility:auto}.year ol.events+ol.events{margin-top:-1rem}';
  return `${lists}${height(14.8)}${bands}${perYear.join('')}`;
}

/** A year's list rules, kept or made: they depend on its anchor, its events (with the titles they
 * relate to, the names of their actors and tags) and the labels. */
export type YearRulesStore = (year: { anchor: string; events: TimelineEvent[] }, make: () => string) => string;

/** [viewport from (em), narrowest content width in the band (rem)]; below 20em: 18em (288 px) wide. */
const BANDS: [number, number][] = [
  [20, 16.8],
  [22.5, 19.3],
  [25, 21.8],
  [30, 26.8],
  [37.5, 34.3],
  [45, 41.8],
  [52, 48.8],
];

const round = (x: number) => Math.ceil(x);
