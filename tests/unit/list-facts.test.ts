// The years' kept facts (src/timeline/list-facts.ts) added up give what a walk over every event
// gives: the picture of time (bars, busiest bucket, span, counts) and the tag and actor counts, on
// random loaded timelines large enough for a histogram, with events coming up, undated, open-ended,
// headlines and claims, spanning months, years or centuries.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTimeline } from '../../src/events/load.js';
import { loadLocale } from '../../src/render/locales.js';
import { pageViews } from '../../src/timeline/view.js';
import { shapedDate } from '../helpers.js';

const STATUSES = ['happened', 'happened', 'happened', 'announced', 'upcoming', 'rumored', 'cancelled'];

const eventArb = (span: number) =>
  fc.record({
    year: fc.integer({ min: 0, max: span }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 28 })),
    shape: fc.constantFrom('day', 'day', 'day', 'month', 'year', 'open', 'range', 'undated'),
    status: fc.constantFrom(...STATUSES),
    importance: fc.constantFrom(undefined, undefined, 1, 2),
    certainty: fc.constantFrom(undefined, undefined, 'claimed', 'disputed', 'confirmed'),
    tags: fc.subarray(['x', 'y', 'z']),
    actors: fc.subarray(['a', 'b']),
  });

type Fields = ReturnType<typeof eventArb> extends fc.Arbitrary<infer T> ? T : never;

function yamlOf(events: Fields[], from: number): string {
  const lines = ['title: Facts', 'entities:', '  a: { name: Ay, kind: organization }', '  b: { name: Bee, kind: person }'];
  lines.push('tags:', '  x: Ex', '  y: Why', '  z: Zed', 'events:');
  events.forEach((e, i) => {
    const y = from + e.year;
    const date = shapedDate(e.shape, y, e.month, e.day, 1);
    // An undated event must be coming up (a happened event needs a date).
    const status = date ? e.status : 'upcoming';
    lines.push(`  - id: e${i}`, ...(date ? [`    date: "${date}"`] : []), `    title: Event ${i}`, `    status: ${status}`);
    if (e.importance) lines.push(`    importance: ${e.importance}`);
    if (e.certainty) lines.push(`    certainty: ${e.certainty}`);
    if (e.tags.length) lines.push(`    tags: [${e.tags.join(', ')}]`);
    if (e.actors.length) lines.push(`    actors: [${e.actors.join(', ')}]`);
  });
  return `${lines.join('\n')}\n`;
}

describe("the years' facts, added up", () => {
  it('give the picture of time and the filter counts a walk over every event gives', async () => {
    const locale = await loadLocale('en');
    let added = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(2, 20, 200),
        fc.integer({ min: 1950, max: 2020 }),
        fc.constantFrom('2000-01-01', '2021-06-15', '2100-01-01'),
        fc.integer({ min: 130, max: 400 }),
        fc.integer(),
        async (span, from, now, count, seed) => {
          const events = fc.sample(fc.array(eventArb(span), { minLength: count, maxLength: count }), { seed, numRuns: 1 })[0]!;
          const { timeline, problems } = loadTimeline(yamlOf(events, from), { now });
          if (!timeline) throw new Error(problems.map((p) => p.message).join('\n'));
          let made = 0;
          const kept = pageViews(timeline, locale, {
            listFacts: (_events, make) => {
              made++;
              return JSON.parse(JSON.stringify(make()));
            },
          });
          const walked = pageViews(timeline, locale);
          expect(made).toBeGreaterThan(0);
          const a = kept[0]!.view();
          const b = walked[0]!.view();
          if (a.picture.html.includes('tp-histogram')) added++;
          expect(a.picture).toEqual(b.picture);
          expect(a.tags).toEqual(b.tags);
          expect(a.actors).toEqual(b.actors);
        },
      ),
      { numRuns: 60 },
    );
    // Most timelines drew a histogram (few enough dated events draw marks, from the walk).
    expect(added).toBeGreaterThan(30);
  }, 60_000);

  it('are not used when a day lies past the end of the axis (events open-ended from after now): the walk counts those', async () => {
    const locale = await loadLocale('en');
    const open = (year: number): Fields => ({
      year,
      month: 3,
      day: 1,
      shape: 'open',
      status: 'happened',
      importance: undefined,
      certainty: undefined,
      tags: ['x'],
      actors: [],
    });
    const { timeline, problems } = loadTimeline(
      yamlOf(
        Array.from({ length: 150 }, () => open(0)),
        2010,
      ),
      { now: '2000-01-01' },
    );
    if (!timeline) throw new Error(problems.map((p) => p.message).join('\n'));
    const kept = pageViews(timeline, locale, { listFacts: (_events, make) => make() })[0]!.view();
    const walked = pageViews(timeline, locale)[0]!.view();
    expect(walked.picture.html).toContain('tp-histogram');
    expect(kept.picture).toEqual(walked.picture);
  });
});
