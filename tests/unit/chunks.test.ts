// Runs of events (src/pipeline/chunks.ts): cut by the events' own keys, so an edit changes only
// the run it falls in, and timeline.json and search.json keep every other run's fragment.
import { hash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runsOf } from '../../src/pipeline/chunks.js';

const keyOf = (n: number) => hash('sha256', String(n), 'base64url');
const ids = (count: number, from = 0) => Array.from({ length: count }, (_, i) => from + i);

describe('runs of events', () => {
  it('cuts a list into runs that join back into it, of about 64 items, never more than 256', () => {
    const items = ids(20_000);
    const runs = runsOf(items, keyOf);
    expect(runs.flat()).toEqual(items);
    expect(runs.every((run) => run.length > 0 && run.length <= 256)).toBe(true);
    expect(runs.length).toBeGreaterThan(20_000 / 128);
    expect(runs.length).toBeLessThan(20_000 / 32);
    expect(runsOf([], keyOf)).toEqual([]);
  });

  it('reads the part of a key before its first NUL: event keys start alike (a code prefix) and end alike (the timeline)', () => {
    const items = ids(20_000);
    const runs = runsOf(items, (n) => `LXEWQrcmsEQBYnyp.${keyOf(n)}\u0000${'the same for every event'.repeat(4)}`);
    expect(runs.length).toBeGreaterThan(20_000 / 128);
    expect(runs.length).toBeLessThan(20_000 / 32);
    // Without an item cache an event's own part is its JSON, which starts with its id and ends alike.
    const json = runsOf(items, (n) => `{"id":"event-${n}",${'"title":"the same"'.repeat(5)}}\u0000context`);
    expect(json.length).toBeGreaterThan(20_000 / 128);
    expect(json.length).toBeLessThan(20_000 / 32);
  });

  it('changes only the runs next to an item added, removed or edited', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3_000 }), fc.constantFrom('add', 'remove', 'edit'), (at, edit) => {
        const before = ids(3_000);
        const after = [...before];
        if (edit === 'add') after.splice(at, 0, 1_000_000);
        else if (edit === 'remove') after.splice(Math.min(at, 2_999), 1);
        else after[Math.min(at, 2_999)] = 1_000_000;
        const old = new Set(runsOf(before, keyOf).map((run) => run.join(',')));
        const fresh = runsOf(after, keyOf).filter((run) => !old.has(run.join(',')));
        // The run the edit falls in (two if the new item ends a run), and the one after it when the
        // edit moved where a run ends (a run cut at 256 items).
        expect(fresh.length).toBeLessThanOrEqual(3);
        expect(fresh.flat().length).toBeLessThanOrEqual(2 * 256);
      }),
      { numRuns: 200 },
    );
  });
});
