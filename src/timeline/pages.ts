// Every page of the timeline by path: `index.html`, and for a large timeline one page per older
// year (`2010.html`) and `search.json`, the compact index the page's script fetches on first use
// to count matches on other pages and to send an old `#event-id` permalink to its year's page.
import type { Timeline, TimelineEvent } from '../events/model.js';
import { cutKey, keptRuns, runsOf } from '../pipeline/chunks.js';
import { type FragmentStore, hashKey, renderCodeFingerprint } from '../pipeline/fragments.js';
import type { LocaleFile } from '../render/locales.js';
import type { TemplateSet } from '../render/templates.js';
import type { Content } from '../site/build-site.js';
import { listDigest } from './list-digest.js';
import type { ListFacts } from './list-facts.js';
import { type PageOptions, renderTimelinePage } from './page.js';
import { type JsonLdItemsStore, type ListFactsStore, pageViews, SEARCH_INDEX } from './view.js';
import type { YearRulesStore } from './year-size.js';

export async function renderTimelinePages(
  timeline: Timeline,
  locale: LocaleFile,
  templates: TemplateSet,
  baseUrl?: string,
  options: PageOptions = {},
): Promise<Map<string, Content>> {
  const { fragments, eventKey } = options;
  const cache = fragments && eventKey ? { fragments, eventKey } : undefined;
  const pages = pageViews(timeline, locale, {
    ...(baseUrl ? { baseUrl } : {}),
    ...(options.summaries ? { summaries: options.summaries } : {}),
    ...(cache ? { yearRules: yearRulesStore(cache, locale) } : {}),
    ...(cache ? { keep: cache.fragments, listFacts: listFactsStore(cache), jsonLdItems: jsonLdItemsStore(cache) } : {}),
  });
  const files = new Map<string, Content>();
  for (const { file, view } of pages) files.set(file, await renderTimelinePage(view, templates, options));
  // Made in parts as it is read (serve makes it only when the page's script first asks for it).
  if (pages.length > 1) files.set(SEARCH_INDEX, { [Symbol.iterator]: () => searchIndexParts(timeline, pages, cache) });
  return files;
}

/** A big page's list heights for each year (year-size.ts), kept between builds: a year's rules
 * are a pure function of its anchor, its events' keys (their data, the titles they relate to and
 * the rest of the timeline: names of actors and tags) and the labels. */
function yearRulesStore(
  cache: { fragments: FragmentStore; eventKey: (event: TimelineEvent) => string },
  locale: LocaleFile,
): YearRulesStore {
  const base = hashKey(renderCodeFingerprint(), 'year list sizes', JSON.stringify(locale.labels));
  return (year, make) => cache.fragments.through(hashKey(base, year.anchor, listDigest(year.events, cache.eventKey)), make);
}

/** The facts of a year (list-facts.ts), kept between builds by its digest: a pure function of its
 * events (their data and now are in their keys). */
function listFactsStore(cache: { fragments: FragmentStore; eventKey: (event: TimelineEvent) => string }): ListFactsStore {
  const base = hashKey(renderCodeFingerprint(), 'list facts');
  return (events, make) => {
    const kept = cache.fragments.through(hashKey(base, listDigest(events, cache.eventKey)), () => JSON.stringify(make()));
    return JSON.parse(kept) as ListFacts;
  };
}

/** A page's JSON-LD items, kept between builds by the keys of the events listed (their data, the
 * timeline's names, base_url) and the link to each. */
function jsonLdItemsStore(cache: { fragments: FragmentStore; eventKey: (event: TimelineEvent) => string }): JsonLdItemsStore {
  const base = hashKey(renderCodeFingerprint(), 'JSON-LD items');
  return (events, hrefs, make) => cache.fragments.through(hashKey(base, listDigest(events, cache.eventKey), hrefs.join(' ')), make);
}

/**
 * Columns rather than objects (a third of the size): for event i, `id[i]`, its page `pages[page[i]]`,
 * the month its date starts in (`month[i]`, for the picture's bars), tags and actors as indexes
 * into `tagKeys`/`actorKeys`, a flag (1 headline, 2 claim) and its words in lower case.
 */
export function searchIndex(timeline: Timeline, pages: { file: string; events: TimelineEvent[] }[]): string {
  const tagKeys = Object.keys(timeline.tags);
  const actorKeys = Object.keys(timeline.entities);
  const tagIndex = new Map(tagKeys.map((k, i) => [k, i]));
  const actorIndex = new Map(actorKeys.map((k, i) => [k, i]));
  const columns = {
    id: [] as string[],
    page: [] as number[],
    month: [] as string[],
    tags: [] as number[][],
    actors: [] as number[][],
    flag: [] as number[],
    text: [] as string[],
  };
  pages.forEach(({ events }, p) => {
    for (const e of events) {
      columns.id.push(e.id);
      columns.page.push(p);
      columns.month.push(e.date ? e.date.lower.slice(0, 7) : '');
      columns.tags.push(e.tags.map((t) => tagIndex.get(t) ?? -1));
      columns.actors.push(e.actors.map((a) => actorIndex.get(a) ?? -1));
      columns.flag.push(e.importance === 1 ? 1 : e.certainty === 'claimed' || e.certainty === 'disputed' ? 2 : 0);
      const names = [...e.actors.map((a) => timeline.entities[a]?.name ?? a), ...e.tags.map((t) => timeline.tags[t] ?? t)];
      columns.text.push([e.title, e.summary ?? '', ...names].join(' ').toLowerCase());
    }
  });
  return JSON.stringify({ pages: pages.map((p) => p.file), tagKeys, actorKeys, ...columns });
}

/** Events per part of search.json's columns. */
const SEARCH_PART = 2000;

/** searchIndex's bytes in parts, one column slice at a time: at 100,000 events the index is ~45 MB,
 * and neither it nor its columns are ever whole in memory. With fragments, each run of events
 * (src/pipeline/chunks.ts) keeps its slices of all the columns as one fragment: an add makes one
 * run's slices again. */
export function* searchIndexParts(
  timeline: Timeline,
  pages: { file: string; events: TimelineEvent[]; groups?: TimelineEvent[][] }[],
  cache?: { fragments: FragmentStore; eventKey: (event: TimelineEvent) => string },
): Generator<string | Buffer> {
  const tagKeys = Object.keys(timeline.tags);
  const actorKeys = Object.keys(timeline.entities);
  const tagIndex = new Map(tagKeys.map((k, i) => [k, i]));
  const actorIndex = new Map(actorKeys.map((k, i) => [k, i]));
  const columns: [string, (e: TimelineEvent, page: number) => unknown][] = [
    ['id', (e) => e.id],
    ['page', (_e, page) => page],
    ['month', (e) => (e.date ? e.date.lower.slice(0, 7) : '')],
    ['tags', (e) => e.tags.map((t) => tagIndex.get(t) ?? -1)],
    ['actors', (e) => e.actors.map((a) => actorIndex.get(a) ?? -1)],
    ['flag', (e) => (e.importance === 1 ? 1 : e.certainty === 'claimed' || e.certainty === 'disputed' ? 2 : 0)],
    [
      'text',
      (e) => {
        const names = [...e.actors.map((a) => timeline.entities[a]?.name ?? a), ...e.tags.map((t) => timeline.tags[t] ?? t)];
        return [e.title, e.summary ?? '', ...names].join(' ').toLowerCase();
      },
    ],
  ];
  // A slice's array without its brackets: JSON.stringify of the whole column, a slice at a time.
  const slice = (run: Placed[], value: (e: TimelineEvent, page: number) => unknown) =>
    JSON.stringify(run.map((p) => value(p.event, p.page))).slice(1, -1);
  yield `{"pages":${JSON.stringify(pages.map((p) => p.file))},"tagKeys":${JSON.stringify(tagKeys)},"actorKeys":${JSON.stringify(actorKeys)}`;
  if (cache) {
    // Each run's slices of every column as one fragment: their lengths in bytes, a newline, then
    // the slices one after the other (so a run read as bytes is cut without being searched).
    // A run's key: its events' keys, then the page of each (numbers, no string per event). Runs are
    // cut within each list of a page (a year, the coming-up events), whose run keys are kept by the
    // list's digest and its page: a list that did not change is not walked (chunks.ts keptRuns).
    const base = hashKey(renderCodeFingerprint(), 'search.json columns', JSON.stringify(columns.map(([name]) => name)));
    const runs: (string | Buffer)[][] = [];
    pages.forEach(({ events, groups = [events] }, page) => {
      for (const group of groups) {
        if (group.length === 0) continue;
        const listKey = hashKey(base, 'runs of a list', listDigest(group, cache.eventKey), String(page));
        const kept = keptRuns(cache.fragments, listKey, () =>
          runsOf(group, (event) => cutKey(event, cache.eventKey)).map((events) => {
            const run = events.map((event) => ({ event, page }));
            return {
              key: hashKey(base, events.map(cache.eventKey).join('\u0000'), run.map((p) => p.page).join(',')),
              render: () => joinSlices(columns.map(([, value]) => slice(run, value))),
            };
          }),
        );
        for (const value of kept) runs.push(cutSlices(value));
      }
    });
    for (let c = 0; c < columns.length; c++) {
      yield `,${JSON.stringify(columns[c]![0])}:[`;
      for (let r = 0; r < runs.length; r++) {
        if (r > 0) yield ',';
        yield runs[r]![c]!;
      }
      yield ']';
    }
    yield '}';
    return;
  }
  const placed: Placed[] = [];
  pages.forEach(({ events }, page) => {
    for (const event of events) placed.push({ event, page });
  });
  for (const [name, value] of columns) {
    yield `,${JSON.stringify(name)}:[`;
    for (let at = 0; at < placed.length; at += SEARCH_PART) {
      const text = slice(placed.slice(at, at + SEARCH_PART), value);
      yield at === 0 ? text : `,${text}`;
    }
    yield ']';
  }
  yield '}';
}

interface Placed {
  event: TimelineEvent;
  page: number;
}

/** A run's column slices as one text: `LENGTH,LENGTH...\n` (bytes of each) then the slices. */
function joinSlices(slices: string[]): string {
  return `${slices.map((s) => Buffer.byteLength(s)).join(',')}\n${slices.join('')}`;
}

/** The slices of joinSlices's text, as views of the bytes they were read as (or as text). */
function cutSlices(value: string | Buffer): (string | Buffer)[] {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  const end = bytes.indexOf(NEWLINE);
  let at = end + 1;
  return bytes
    .toString('latin1', 0, end)
    .split(',')
    .map((length) => {
      const slice = bytes.subarray(at, at + Number(length));
      at += Number(length);
      return slice;
    });
}

const NEWLINE = 10;
