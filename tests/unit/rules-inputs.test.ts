// A load skips the lint rules for events whose item had no finding under the same now before
// (src/events/item-cache.ts): that holds only while every rule reads nothing but the event and now.
import { describe, expect, it } from 'vitest';
import { loadTimeline } from '../../src/events/load.js';
import type { Timeline } from '../../src/events/model.js';
import { RULES } from '../../src/events/rules.js';

const file = `title: Inputs
entities:
  a: { name: A, kind: organization }
events:
  - id: one
    date: 2030-01-01
    title: Happened in the future, claimed by nobody
    certainty: claimed
    added: 2031-01-01
    actors: [a, a]
    related: [one]
  - id: two
    status: upcoming
    date: 2020-01-01
    title: Upcoming in the past
    claimed_by: a
    sources: [{ publisher: P }]
`;

describe('the lint rules', () => {
  it('read of the timeline nothing but now', () => {
    const { timeline } = loadTimeline(file, { now: '2025-06-01', lint: false });
    const onlyNow = new Proxy(timeline!, {
      get(target, key) {
        if (key !== 'now') throw new Error(`a rule read timeline.${String(key)}`);
        return target.now;
      },
    }) as Timeline;
    const codes = new Set<string>();
    for (const rule of RULES) for (const event of timeline!.events) if (rule.check(event, onlyNow)) codes.add(rule.code);
    // Every rule found something here, so each ran its whole check.
    expect([...codes].sort()).toEqual(RULES.map((rule) => rule.code).sort());
  });
});
