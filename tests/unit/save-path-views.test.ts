// The shortcuts a save in serve takes through the page's view (view5): each gives the answer of the
// general way, on random timelines.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTimeline } from '../../src/events/load.js';
import type { TimelineEvent } from '../../src/events/model.js';
import { calendarEvents, hasCalendarEvents } from '../../src/timeline/calendar-events.js';
import { busiestBucket, type Unit } from '../../src/timeline/time-picture.js';
import { keyCounts } from '../../src/timeline/view.js';
import { eventsById } from '../../src/timeline/year-size.js';

// Often the first day of a month or a year: the edges of the buckets.
const day = fc
  .record({
    year: fc.oneof(fc.integer({ min: 2018, max: 2022 }), fc.integer({ min: 1990, max: 2030 })),
    month: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 12 })),
    day: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 28 })),
  })
  .map(({ year, month, day: d }) => `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

/** Every bucket from the first day's to the last's, as the picture lays them out. */
function bucketsOf(days: string[], unit: Unit): string[] {
  const sorted = [...days].sort();
  const yearOf = (d: string) => Number(d.slice(0, 4));
  const buckets: string[] = [];
  if (unit === 'month') {
    for (
      let m = yearOf(sorted[0]!) * 12 + Number(sorted[0]!.slice(5, 7)) - 1;
      m <= yearOf(sorted.at(-1)!) * 12 + Number(sorted.at(-1)!.slice(5, 7)) - 1;
      m++
    )
      buckets.push(`${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`);
  } else {
    const step = unit === 'decade' ? 10 : 1;
    const from = yearOf(sorted[0]!) - (yearOf(sorted[0]!) % step);
    for (let y = from; y <= yearOf(sorted.at(-1)!); y += step) buckets.push(`${y}-01-01`);
  }
  return buckets;
}

/** The reference: each event's bucket counted in a map, the first of equals wins. */
function naiveBusiest(days: string[], unit: Unit): { bucket: string; count: number } {
  const counts = new Map<string, number>();
  for (const d of days) {
    const year = Number(d.slice(0, 4));
    const b = unit === 'month' ? `${d.slice(0, 7)}-01` : `${unit === 'decade' ? year - (year % 10) : year}-01-01`;
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  let best = { bucket: '', count: 0 };
  for (const [bucket, count] of counts) if (count > best.count) best = { bucket, count };
  return best;
}

const asEvents = (days: string[]) => days.map((lower) => ({ date: { lower } }) as unknown as TimelineEvent);

describe('the busiest bucket of the picture of time', () => {
  it('walked along the buckets gives the same bucket and count as counting each event', () => {
    fc.assert(
      fc.property(
        fc.array(day, { minLength: 1, maxLength: 60 }),
        fc.constantFrom<Unit>('month', 'year', 'decade'),
        fc.boolean(),
        (days, unit, sort) => {
          const ordered = sort ? [...days].sort() : days;
          const expected = naiveBusiest(ordered, unit);
          expect(busiestBucket(asEvents(ordered), unit, bucketsOf(days, unit))).toEqual(expected);
          expect(busiestBucket(asEvents(ordered), unit)).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('takes the general way when the buckets do not cover the days', () => {
    const days = ['2020-01-05', '2020-02-01', '2020-02-03', '2021-06-01'];
    // Buckets that stop before the last day, or start after the first: the walk would miscount.
    expect(busiestBucket(asEvents(days), 'month', ['2020-01-01', '2020-02-01'])).toEqual({ bucket: '2020-02-01', count: 2 });
    expect(busiestBucket(asEvents(days), 'year', ['2021-01-01'])).toEqual({ bucket: '2020-01-01', count: 3 });
    expect(
      busiestBucket(asEvents(['2020-03-01', '2020-01-01', '2020-01-02']), 'month', ['2020-01-01', '2020-02-01', '2020-03-01']),
    ).toEqual({
      bucket: '2020-01-01',
      count: 2,
    });
  });
});

describe('whether the page links a calendar', () => {
  const event = fc.record({
    date: fc.option(
      fc.oneof(
        day,
        day.map((d) => d.slice(0, 7)),
        fc.tuple(day, day).map(([a, b]) => (a < b ? `${a}/${b}` : `${b}/${a}`)),
      ),
      {
        nil: undefined,
      },
    ),
    status: fc.constantFrom('happened', 'upcoming', 'expected', 'cancelled', 'postponed', 'rumoured'),
  });
  it('answers as calendarEvents does, on timelines sorted by load', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 25 }), day, (events, now) => {
        const text = [
          'title: T',
          'locale: en',
          'events:',
          ...events.flatMap((e, i) => [
            `  - id: e${i}`,
            `    title: E${i}`,
            ...(e.date ? [`    date: "${e.date}"`] : []),
            `    status: ${e.status}`,
          ]),
          ...(events.length === 0 ? ['  []'] : []),
        ].join('\n');
        const { timeline, problems } = loadTimeline(`${text.replace('events:\n  []', 'events: []')}\n`, {
          file: 't.yaml',
          now,
          lint: false,
        });
        if (!timeline) return; // a status the schema refuses for its date: nothing to compare
        expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
        expect(hasCalendarEvents(timeline)).toBe(calendarEvents(timeline).length > 0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('tag and actor counts kept between saves', () => {
  const made = (tags: string[], actors: string[]) => ({ tags, actors }) as unknown as TimelineEvent;
  const someEvent = fc.tuple(fc.subarray(['a', 'b', 'c', 'd']), fc.subarray(['x', 'y', 'z'])).map(([tags, actors]) => made(tags, actors));
  const nonZero = (counts: Map<string, number>) => new Map([...counts].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : 1)));
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), at: fc.nat(), event: someEvent }),
    fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), event: someEvent }),
    fc.record({ kind: fc.constant('move' as const), at: fc.nat(), to: fc.nat() }),
    fc.record({ kind: fc.constant('fresh' as const), events: fc.array(someEvent, { maxLength: 12 }) }),
  );
  it('are the counts of the events made afresh, after any sequence of edits', () => {
    fc.assert(
      fc.property(fc.array(someEvent, { maxLength: 30 }), fc.array(fc.array(edit, { maxLength: 3 }), { maxLength: 12 }), (first, saves) => {
        const keep = {};
        let events = first;
        let before = keyCounts(events, keep);
        for (const save of saves) {
          // The last save's counts, as its views hold them: a later save must not change them.
          const held = { tags: nonZero(before.tags), actors: nonZero(before.actors) };
          const next = [...events];
          for (const e of save) {
            if (e.kind === 'add') next.splice(e.at % (next.length + 1), 0, e.event);
            else if (e.kind === 'remove' && next.length) next.splice(e.at % next.length, 1);
            else if (e.kind === 'replace' && next.length) next[e.at % next.length] = e.event;
            else if (e.kind === 'move' && next.length) next.splice(e.to % next.length, 0, ...next.splice(e.at % next.length, 1));
            else if (e.kind === 'fresh') next.splice(0, next.length, ...e.events);
          }
          events = next;
          const kept = keyCounts(events, keep);
          const fresh = keyCounts(events);
          expect(nonZero(kept.tags)).toEqual(nonZero(fresh.tags));
          expect(nonZero(kept.actors)).toEqual(nonZero(fresh.actors));
          expect({ tags: nonZero(before.tags), actors: nonZero(before.actors) }).toEqual(held);
          before = kept;
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('take off and count again only what changed between the unchanged start and end', () => {
    let reads = 0;
    const watched = (tags: string[], actors: string[]) =>
      new Proxy(made(tags, actors), {
        get(target, key) {
          if (key === 'tags') reads++;
          return Reflect.get(target, key);
        },
      });
    const events = Array.from({ length: 100 }, (_, i) => watched([`t${i % 7}`], []));
    const keep = {};
    keyCounts(events, keep);
    const t1 = events.filter((e) => e.tags[0] === 't1').length;
    reads = 0;
    const next = [...events.slice(0, 50), watched(['t1'], ['x']), ...events.slice(50)];
    const counted = keyCounts(next, keep);
    expect(counted.tags.get('t1')).toBe(t1 + 1);
    expect(counted.actors.get('x')).toBe(1);
    expect(reads).toBe(1);
  });
});

describe('the map of events by id kept between saves', () => {
  const sorted = (byId: Map<string, TimelineEvent>) => [...byId].sort(([a], [b]) => (a < b ? -1 : 1));
  const fresh = (events: TimelineEvent[]) => sorted(new Map(events.map((e) => [e.id, e])));
  it('is the map made afresh, after any sequence of edits, and the last timeline still answers right', () => {
    let made = 0;
    const event = (id: string) => ({ id, title: `T${id}-${made++}` }) as unknown as TimelineEvent;
    const edit = fc.record({
      kind: fc.constantFrom('add', 'remove', 'retitle', 'move'),
      at: fc.nat(),
      to: fc.nat(),
      id: fc.integer({ min: 0, max: 40 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }),
        fc.array(fc.array(edit, { maxLength: 3 }), { maxLength: 10 }),
        (ids, saves) => {
          const keep = {};
          let events = ids.map((id) => event(String(id)));
          eventsById(events, keep);
          for (const save of saves) {
            const next = [...events];
            for (const e of save) {
              const taken = new Set(next.map((x) => x.id));
              if (e.kind === 'add' && !taken.has(String(e.id))) next.splice(e.at % (next.length + 1), 0, event(String(e.id)));
              else if (e.kind === 'remove' && next.length) next.splice(e.at % next.length, 1);
              else if (e.kind === 'retitle' && next.length) next[e.at % next.length] = event(next[e.at % next.length]!.id);
              else if (e.kind === 'move' && next.length) next.splice(e.to % next.length, 0, ...next.splice(e.at % next.length, 1));
            }
            const before = events;
            events = next;
            expect(sorted(eventsById(events, keep))).toEqual(fresh(events));
            expect(sorted(eventsById(before))).toEqual(fresh(before));
            expect(sorted(eventsById(events, keep))).toEqual(fresh(events));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
