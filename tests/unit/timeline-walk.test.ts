// The one walk over a timeline's events (src/timeline/walk.ts) and the feeds' newest entries give
// what each output's own walk gave: the page's years and coming-up list, timeline.json's stretches,
// the calendar, og:image and the hundred newest feed entries, on random loaded timelines (sorted)
// and on the same events shuffled (a library caller may pass any order), with ties on the day.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTimeline } from '../../src/events/load.js';
import type { Timeline, TimelineEvent } from '../../src/events/model.js';
import { FORWARD_STATUSES } from '../../src/events/schema.js';
import { calendarEvents, FEED_ITEMS, feedEntries, publishedDay } from '../../src/timeline/feeds.js';
import { ogImage } from '../../src/timeline/view.js';
import { walkTimeline } from '../../src/timeline/walk.js';
import { shapedDate } from '../helpers.js';

const STATUSES = ['happened', 'happened', 'announced', 'upcoming', 'rumored', 'cancelled', 'postponed'];

const eventArb = fc.record({
  year: fc.integer({ min: 0, max: 12 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 3 }),
  shape: fc.constantFrom('day', 'day', 'day', 'month', 'year', 'range', 'undated'),
  status: fc.constantFrom(...STATUSES),
  added: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
  image: fc.constantFrom(undefined, undefined, undefined, 'https://example.com/a.png', 'pictures/b.png'),
  related: fc.boolean(),
});

type Fields = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

function yamlOf(events: Fields[], asOf: boolean): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const lines = ['title: Walk', ...(asOf ? ['as_of: 2020-06-02'] : []), 'events:'];
  events.forEach((e, i) => {
    const y = 2010 + e.year;
    const date = shapedDate(e.shape, y, e.month, e.day);
    const status = date ? e.status : 'upcoming';
    lines.push(`  - id: e${i}`, ...(date ? [`    date: "${date}"`] : []), `    title: Event ${i}`, `    status: ${status}`);
    // Few distinct days: many ties, broken by the place in the file.
    if (e.added !== undefined) lines.push(`    added: 2019-12-${pad(1 + (e.added % 3))}`);
    if (e.image) lines.push(`    image: { src: "${e.image}", alt: A picture }`);
    if (e.related && i > 0) lines.push('    related: [e0]');
  });
  return `${lines.join('\n')}\n`;
}

/** The feeds' entries as they were chosen before: every event with a day, sorted, the first hundred. */
function sortedEntries(timeline: Timeline): TimelineEvent[] {
  const keyed: { event: TimelineEvent; day: string }[] = [];
  for (const event of timeline.events) {
    const day = publishedDay(event, timeline);
    if (day) keyed.push({ event, day });
  }
  keyed.sort((a, b) => (a.day === b.day ? b.event.index - a.event.index : a.day < b.day ? 1 : -1));
  return keyed.slice(0, FEED_ITEMS).map((k) => k.event);
}

function walkedApart(timeline: Timeline) {
  const comingUp: TimelineEvent[] = [];
  const byYear = new Map<string, TimelineEvent[]>();
  for (const event of timeline.events) {
    if (FORWARD_STATUSES.has(event.status) && (!event.date || event.date.upper >= timeline.now)) {
      comingUp.push(event);
      continue;
    }
    const year = event.date ? event.date.lower.slice(0, 4) : '';
    byYear.set(year, [...(byYear.get(year) ?? []), event]);
  }
  const dated = timeline.events.filter((e) => e.date);
  const stretches: TimelineEvent[][] = [];
  for (const event of dated) {
    const last = stretches.at(-1);
    if (last && event.date!.lower.startsWith(last[0]!.date!.lower.slice(0, 4))) last.push(event);
    else stretches.push([event]);
  }
  const calendar = timeline.events.filter(
    (e) =>
      e.date?.precision === 'day' &&
      !e.date.end &&
      e.date.lower >= timeline.now &&
      (FORWARD_STATUSES.has(e.status) || e.status === 'cancelled' || e.status === 'postponed'),
  );
  return { comingUp, byYear, stretches, calendar };
}

describe('the one walk over the events', () => {
  it('gives every output what its own walk gave, sorted or shuffled', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { minLength: 1, maxLength: 260, size: 'max' }),
        fc.boolean(),
        fc.constantFrom('2015-03-02', '2020-06-02', '2030-01-01'),
        fc.boolean(),
        fc.integer(),
        (events, asOf, now, shuffle, seed) => {
          const { timeline: loaded, problems } = loadTimeline(yamlOf(events, asOf), { now });
          if (!loaded) throw new Error(problems.map((p) => p.message).join('\n'));
          let timeline = loaded;
          if (shuffle) {
            const order = fc.sample(fc.shuffledSubarray(loaded.events, { minLength: loaded.events.length }), { seed, numRuns: 1 })[0]!;
            timeline = { ...loaded, events: order };
          }
          const walk = walkTimeline(timeline);
          const apart = walkedApart(timeline);
          expect(walk.comingUp).toEqual(apart.comingUp);
          expect([...walk.byYear]).toEqual([...apart.byYear]);
          for (const list of walk.byYear.values())
            expect(walk.relatedAt.get(list)).toEqual(list.flatMap((e, i) => (e.related.length > 0 ? [i] : [])));
          expect(walk.stretches).toEqual(apart.stretches);
          expect(calendarEvents(timeline)).toEqual(apart.calendar);
          expect(feedEntries(timeline).map((e) => e.id)).toEqual(sortedEntries(timeline).map((e) => e.id));
          for (const base of [undefined, 'https://example.org/site/']) {
            const absolute = (url: string | undefined) =>
              !url ? undefined : /^https:\/\//i.test(url) ? url : base ? new URL(url, base).href : undefined;
            const shown = timeline.events.filter((e) => absolute(e.image?.url) && e.date);
            const chosen = shown.filter((e) => e.importance === 1).at(-1) ?? shown.at(-1);
            expect(ogImage(timeline, base)).toBe(absolute(chosen?.image?.url));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is made again for a timeline whose events or now are other objects', () => {
    const one: Fields = { year: 1, month: 1, day: 1, shape: 'day', status: 'upcoming', added: undefined, image: undefined, related: false };
    const { timeline } = loadTimeline(yamlOf([one], false), { now: '2030-01-01' });
    const first = walkTimeline(timeline!);
    expect(first.comingUp).toEqual([]);
    expect(walkTimeline(timeline!)).toBe(first);
    expect(walkTimeline({ ...timeline!, events: [...timeline!.events] })).not.toBe(first);
    expect(walkTimeline({ ...timeline!, now: '1999-01-01' }).comingUp).toEqual(timeline!.events);
  });

  it("gives a stretch of timeline.json that holds just a year's list of the page that very list", () => {
    const past = (year: number, status = 'happened'): Fields => ({
      year,
      month: 1,
      day: 1,
      shape: 'day',
      status,
      added: undefined,
      image: undefined,
      related: false,
    });
    const { timeline } = loadTimeline(yamlOf([past(1), past(1), past(2), past(3, 'upcoming'), past(3)], false), { now: '2012-06-01' });
    const walk = walkTimeline(timeline!);
    expect(walk.stretches[0]).toBe(walk.byYear.get('2011'));
    expect(walk.stretches[1]).toBe(walk.byYear.get('2012'));
    // 2013 holds an event coming up, which is in the stretch but not in the year's list.
    expect(walk.stretches[2]).not.toBe(walk.byYear.get('2013'));
    expect(walk.stretches[2]).toHaveLength(2);
  });
});

describe('links to an event, from its year rather than a map of every event', () => {
  it('point to the index for an event coming up whose date starts in a year with a page of its own', async () => {
    const { loadLocale } = await import('../../src/render/locales.js');
    const { pageViews } = await import('../../src/timeline/view.js');
    const lines = ['title: Split', 'events:'];
    for (let i = 0; i < 2100; i++)
      lines.push(`  - id: e${i}`, `    date: "${2000 + (i % 20)}-03-0${1 + (i % 9)}"`, `    title: Event ${i}`);
    // Coming up (it ends after now) though it started in 2001, which has a page of its own.
    lines.push('  - id: long-plan', '    date: "2001-01/2031-01"', '    title: A long plan', '    status: announced');
    lines.push('  - id: refers', '    date: "2002-05-05"', '    title: Refers to it', '    related: [long-plan, e1]');
    const { timeline, problems } = loadTimeline(`${lines.join('\n')}\n`, { now: '2025-01-01' });
    if (!timeline) throw new Error(problems.map((p) => p.message).join('\n'));
    const pages = pageViews(timeline, await loadLocale('en'));
    const page = pages.find((p) => p.events.some((e) => e.id === 'refers'))!;
    expect(page.file).toBe('2002.html');
    const refers = timeline.events.find((e) => e.id === 'refers')!;
    const view = page.view();
    expect(view.toEventView(refers).related.map((r) => r.href)).toEqual(['index.html#event-long-plan', '2001.html#event-e1']);
    expect(view.relatedFiles(refers)).toBe('  2001.html');
    expect(view.eventPlace(refers)).toBe('2002.html index.html#event-long-plan 2001.html#event-e1');
    expect(pages[0]!.view().comingUp.map((e) => e.id)).toContain('long-plan');
  });
});
