// The item cache never changes what loading gives: random sequences of text edits to an events file
// (add, remove, edit, reorder, duplicate events; comments, blank lines and kept trailing breaks around
// items; errors of an item alone and of the whole file; entities removed; now moved), each loaded
// with the cache (kept in memory as serve does, or through its file as build does) and without it,
// must give the same Timeline, the same problems (file, line, column, path, message, hint) and the
// same warning count.
import { hash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK, ItemCache } from '../../src/events/item-cache.js';
import { type LoadOptions, loadTimeline } from '../../src/events/load.js';
import { eventSourceKey } from '../../src/events/source-key.js';
import { codeFingerprint } from '../../src/io/check-cache.js';
import { parseItemEntries, parseItemLayout, readItemCache, writeItemCache } from '../../src/io/item-cache-file.js';
import { asBuilt, tempDir } from '../helpers.js';

/** One event item's text, at list indentation `pad` (0 or 2), from a few fields and variants. */
interface ItemFields {
  date: string;
  title: string;
  summary: 'none' | 'plain' | 'folded' | 'kept';
  actors: string[];
  related: number;
  source: 'none' | 'flow' | 'block' | 'bad-url';
  flaw: 'none' | 'bad-date' | 'unknown-key' | 'escape' | 'raw-control' | 'tab' | 'no-title' | 'inner-comment' | 'future' | 'dangling';
  trailing: '' | '\n' | '# a comment between items\n' | '\n  \n';
  /** Fields the item file keeps apart from the defaults (status, certainty, importance) or besides. */
  extras: ('upcoming' | 'claimed' | 'headline' | 'display' | 'added' | 'tags')[];
}

const DATES = ['2024-01-05', '2024-03', '2024', '2025-Q1', '2025-06-01/2025-06-09', '2023-07/..', '2025-02~'];
const WORDS = ['DeepSeek', 'releases', 'R1', '*open*', 'weights', '`o3`', 'é', 'a: b', '#1'];

const words = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
const itemFields: fc.Arbitrary<ItemFields> = fc.record({
  date: fc.constantFrom(...DATES),
  title: words,
  summary: fc.constantFrom('none', 'plain', 'folded', 'kept'),
  actors: fc.subarray(['a', 'b']),
  related: fc.nat(),
  source: fc.constantFrom('none', 'flow', 'block', 'bad-url'),
  flaw: fc.oneof(
    { weight: 40, arbitrary: fc.constant('none' as const) },
    fc.constantFrom('bad-date', 'unknown-key', 'escape', 'raw-control', 'tab', 'no-title', 'inner-comment', 'future', 'dangling'),
  ),
  trailing: fc.constantFrom('', '\n', '# a comment between items\n', '\n  \n'),
  extras: fc.subarray(['upcoming', 'claimed', 'headline', 'display', 'added', 'tags'] as const),
});

interface State {
  pad: '' | '  ';
  items: { id: string; fields: ItemFields }[];
  /** Whether entity `b` is in the registry (events naming it are errors when not). */
  entityB: boolean;
  now: string;
}

type Op =
  | { kind: 'add'; at: number; fields: ItemFields }
  | { kind: 'remove'; at: number }
  | { kind: 'edit'; at: number; fields: ItemFields }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'gap'; at: number; trailing: ItemFields['trailing'] }
  | { kind: 'entity' }
  | { kind: 'now'; now: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), at: fc.nat(20), fields: itemFields }) },
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edit' as const), at: fc.nat(20), fields: itemFields }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }) },
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  // Only the blank lines and comments after an item (a kept block scalar's value includes them).
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('gap' as const),
      at: fc.nat(20),
      trailing: fc.constantFrom('' as const, '\n' as const, '# a comment between items\n' as const, '\n  \n' as const),
    }),
  },
  fc.record({ kind: fc.constant('entity' as const) }),
  fc.record({ kind: fc.constant('now' as const), now: fc.constantFrom('2024-02-01', '2025-07-01', '2026-12-31') }),
);

let serial = 0;
function apply(state: State, o: Op): State {
  const items = [...state.items];
  const at = (n: number) => n % Math.max(items.length, 1);
  switch (o.kind) {
    case 'add':
      items.splice(at(o.at), 0, { id: `e${++serial}`, fields: o.fields });
      return { ...state, items };
    case 'remove':
      if (items.length > 0) items.splice(at(o.at), 1);
      return { ...state, items };
    case 'edit':
      if (items.length > 0) items[at(o.at)] = { id: items[at(o.at)]!.id, fields: o.fields };
      return { ...state, items };
    case 'swap':
      if (items.length > 0) [items[at(o.a)], items[at(o.b)]] = [items[at(o.b)]!, items[at(o.a)]!];
      return { ...state, items };
    case 'duplicate':
      if (items.length > 0) items.push(items[at(o.at)]!);
      return { ...state, items };
    case 'gap':
      if (items.length > 0) items[at(o.at)] = { ...items[at(o.at)]!, fields: { ...items[at(o.at)]!.fields, trailing: o.trailing } };
      return { ...state, items };
    case 'entity':
      return { ...state, entityB: !state.entityB };
    case 'now':
      return { ...state, now: o.now };
  }
}

function itemText(pad: string, id: string, f: ItemFields, ids: string[]): string {
  const q = JSON.stringify;
  const lines = [`${pad}- id: ${id}`];
  const add = (line: string) => lines.push(`${pad}  ${line}`);
  add(`date: ${f.flaw === 'bad-date' ? '2025-02-30' : f.flaw === 'future' ? '2031-01-01' : q(f.date)}`);
  // A raw control character: the reader refuses the text, wherever the edit that brought it lies.
  if (f.flaw !== 'no-title') add(`title: ${f.flaw === 'raw-control' ? `ring \u0007 ${f.title}` : q(f.title)}`);
  if (f.flaw === 'inner-comment') lines.push('# a comment inside the item');
  if (f.summary === 'plain') add(`summary: ${f.flaw === 'escape' ? '"bell \\u0007 here"' : q(f.title)}`);
  if (f.summary === 'folded') add(`summary: >-\n${pad}    ${f.title}\n\n${pad}    and more`);
  if (f.flaw === 'escape' && f.summary !== 'plain') add('display_date: "\\b"');
  if (f.flaw === 'unknown-key') add('titel: typo');
  if (f.flaw === 'tab') lines.push(`${pad}\t tags: [x]`);
  if (f.actors.length > 0) add(`actors: [${f.actors.join(', ')}]`);
  if (f.extras.includes('upcoming')) add('status: upcoming');
  if (f.extras.includes('claimed')) add(`certainty: claimed\n${pad}  claimed_by: a`);
  if (f.extras.includes('headline')) add('importance: 1');
  if (f.extras.includes('display')) add('display_date: early that year');
  if (f.extras.includes('added')) add('added: 2024-01-02');
  if (f.extras.includes('tags')) add('tags: [models]');
  const related = f.flaw === 'dangling' ? 'gone' : ids.length > 0 ? ids[f.related % ids.length]! : undefined;
  if (related && related !== id) add(`related: [${related}]`);
  if (f.source === 'flow') add('sources: [{ publisher: Reuters }]');
  if (f.source === 'block')
    add(`sources:\n${pad}    - url: https://example.org/${id}\n${pad}      title: ${q(f.title)}\n${pad}      date: 2024-05`);
  if (f.source === 'bad-url') add('sources: [{ url: "https://" }]');
  // Last, so that the blank lines after the item are part of its value.
  if (f.summary === 'kept') add(`summary: |+\n${pad}    ${f.title}`);
  return `${lines.join('\n')}\n${f.trailing}`;
}

function yamlOf(state: State): string {
  const ids = state.items.map((i) => i.id);
  const head = [
    'title: Item cache test',
    'entities:',
    '  a: { name: Alpha, kind: organization }',
    ...(state.entityB ? ['  b: { name: Bee, kind: person }'] : []),
    'tags:',
    '  models: Models',
    'events:',
  ];
  return `${head.join('\n')}\n${state.items.map((i) => itemText(state.pad, i.id, i.fields, ids)).join('')}`;
}

const cacheDir = tempDir();
const stats = { loads: 0, reused: 0, reusedWithErrors: 0 };

function load(text: string, now: string, items?: ItemCache) {
  const options: LoadOptions = { file: 'events.yaml', now, ...(items ? { items } : {}) };
  // The three kinds of load: problems located (check), warnings only counted (build), not linted (serve).
  return [
    loadTimeline(text, options),
    loadTimeline(text, { ...options, locateWarnings: false }),
    loadTimeline(text, { ...options, lint: false }),
  ];
}

describe('the item cache', () => {
  it('gives the same timeline and the same problems as loading without it, whatever the edits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('' as const, '  ' as const),
        fc.array(op, { minLength: 1, maxLength: 14 }),
        fc.boolean(),
        // Through the file, the last text is known by the hashes of its blocks: small ones, so that
        // these texts span many of them and an edit leaves some shared start and end.
        fc.constantFrom(7, 64, BLOCK),
        async (pad, ops, throughFile, block) => {
          let state: State = { pad, items: [], entityB: true, now: '2025-07-01' };
          // In memory (serve) the cache also keeps the events it built.
          let items = new ItemCache(codeFingerprint(), [], { keepEvents: !throughFile, block });
          for (const o of ops) {
            state = apply(state, o);
            const text = yamlOf(state);
            const plain = load(text, state.now);
            const cached = load(text, state.now, items);
            expect(asBuilt(cached)).toStrictEqual(plain);
            // And as JSON (events read from the item file serialise through toJSON): keys in order.
            expect(JSON.stringify(cached.map((c) => c.timeline?.events))).toBe(JSON.stringify(plain.map((p) => p.timeline?.events)));
            stats.loads++;
            if (items.anyReused) stats.reused++;
            if (items.anyReused && !plain[0]!.timeline) stats.reusedWithErrors++;
            if (throughFile) {
              await writeItemCache(cacheDir, 'property', items);
              items = await readItemCache(cacheDir, 'property', { block });
            }
          }
        },
      ),
      { numRuns: 100 },
    );
    // The sequences must exercise the cache: loads that reuse items, also with errors in other items.
    expect(stats.reused).toBeGreaterThan(stats.loads / 5);
    expect(stats.reusedWithErrors).toBeGreaterThan(0);
  }, 120_000);

  it('lints again the events whose items had no warning under another now, in memory and through the file', async () => {
    const item = (n: number, date: string) => `  - id: e${n}\n    date: ${date}\n    title: Event ${n}\n    sources: [{ publisher: P }]\n`;
    // The items whose warnings depend on now come first: the last item is never taken in a run (the
    // end of the text decides where it ends).
    const text = (extra: string) => `title: T\nevents:\n${item(1, '2026-01-01')}${item(2, '2025-01-01')}${extra}${item(9, '2020-01-01')}`;
    const loads: [string, string][] = [
      [text(''), '2026-06-01'],
      [text(''), '2025-06-01'],
      [text(''), '2024-06-01'],
      [text(item(3, '2020-01-01')), '2024-06-01'],
      [text(item(3, '2020-01-01')), '2026-06-01'],
      [text(item(4, '2020-01-01')), '2025-06-01'],
    ];
    let memory = new ItemCache(codeFingerprint());
    for (const throughFile of [false, true]) {
      for (const [yaml, now] of loads) {
        // Small blocks, so that the items before a change lie in blocks found equal.
        if (throughFile) memory = await readItemCache(cacheDir, 'lint-now', { block: 16 });
        const cached = loadTimeline(yaml, { now, items: memory });
        expect(asBuilt(cached), now).toStrictEqual(loadTimeline(yaml, { now }));
        if (throughFile) await writeItemCache(cacheDir, 'lint-now', memory);
      }
    }
    // Events known quiet under the same now are not linted again: the same text, the same now.
    memory = await readItemCache(cacheDir, 'lint-now', { block: 16 });
    loadTimeline(text(item(4, '2020-01-01')), { now: '2025-06-01', items: memory });
    expect(memory.quietUnder('2025-06-01')?.({ index: 0 })).toBe(false);
    expect(memory.quietUnder('2025-06-01')?.({ index: 1 })).toBe(true);
    expect(memory.quietUnder('2024-06-01')).toBeUndefined();
  });

  it('reuses the items whose text did not change, and gives each event a key of its text', () => {
    const text = (title: string) =>
      `title: T\nevents:\n  - id: one\n    date: 2025-01-01\n    title: One\n  - id: two\n    date: 2025-01-02\n    title: ${title}\n`;
    const items = new ItemCache(codeFingerprint());
    const first = loadTimeline(text('Two'), { now: '2025-07-01', items });
    expect(items.anyReused).toBe(false);
    const second = loadTimeline(text('Two, edited'), { now: '2025-07-01', items });
    expect([items.reused(0), items.reused(1)]).toEqual([true, false]);
    const [one1, two1] = first.timeline!.events;
    const [one2, two2] = second.timeline!.events;
    expect(eventSourceKey(one1!)).toBe(eventSourceKey(one2!));
    expect(eventSourceKey(two1!)).not.toBe(eventSourceKey(two2!));
    // Without the cache there is no key: a renderer then serialises the event.
    expect(eventSourceKey(loadTimeline(text('Two'), { now: '2025-07-01' }).timeline!.events[0]!)).toBeUndefined();
  });

  it('counts the blank lines after an item as its text: a kept block scalar ends with them', () => {
    const text = (gap: string) =>
      `title: T\nevents:\n  - id: one\n    date: 2025-01-01\n    title: One\n    summary: |+\n      kept\n${gap}  - id: two\n    date: 2025-01-02\n    title: Two\n`;
    const items = new ItemCache(codeFingerprint());
    for (const gap of ['', '\n', '\n\n', '# a comment\n', '\n']) {
      const cached = loadTimeline(text(gap), { now: '2025-07-01', items });
      expect(asBuilt(cached)).toStrictEqual(loadTimeline(text(gap), { now: '2025-07-01' }));
    }
    expect(items.anyReused).toBe(true);
  });

  it('runs the whole-file checks on events read from the cache file, whose values it does not keep', async () => {
    // Each edit leaves the first item's text as it was (so it is taken from the file) but breaks a
    // check that involves it and the rest of the file: its reference to another event, its claimant,
    // its id, its missing date (allowed only while upcoming).
    const head = 'title: T\nentities:\n  a: { name: Alpha, kind: organization }\n';
    const first = '  - id: one\n    date: 2025-01-01\n    title: One\n    claimed_by: a\n    related: [two]\n';
    const undated = '  - id: later\n    status: upcoming\n    title: Later\n';
    const two = '  - id: two\n    date: 2025-01-02\n    title: Two\n';
    const before = `${head}events:\n${first}${undated}${two}`;
    const edits = [
      `${head}events:\n${first}${undated}`,
      `title: T\nentities:\n  b: { name: Bee, kind: person }\nevents:\n${first}${undated}${two}`,
      `${head}events:\n${first}${undated}${two}${first}`,
      before.replace('status: upcoming', 'status: happened'),
    ];
    for (const [n, after] of edits.entries()) {
      const name = `whole-file-${n}`;
      const items = await readItemCache(cacheDir, name);
      expect(loadTimeline(before, { items }).timeline).toBeDefined();
      await writeItemCache(cacheDir, name, items);
      expect(readFileSync(`${cacheDir}/items/${name}.cache`, 'utf8')).toContain('"id":["one",');
      // The same text again takes every event from the file, and finds no error in what it kept of
      // their values (else it would read the text again: events without a key of their item).
      const again = await readItemCache(cacheDir, name);
      const same = loadTimeline(before, { items: again });
      expect(asBuilt(same)).toStrictEqual(loadTimeline(before));
      expect(again.partialValues && same.timeline!.events.every((event) => eventSourceKey(event) !== undefined)).toBe(true);
      const read = await readItemCache(cacheDir, name);
      const plain = loadTimeline(after);
      expect(
        plain.problems.filter((p) => p.severity === 'error'),
        after,
      ).not.toEqual([]);
      expect(asBuilt(loadTimeline(after, { items: read }))).toStrictEqual(plain);
      expect(read.reused(0)).toBe(true);
    }
  });

  it('keeps only the items of the last load that had no error', () => {
    const good = 'title: T\nevents:\n  - id: one\n    date: 2025-01-01\n    title: One\n';
    const bad = `${good}  - id: two\n    date: 2025-02-30\n    title: Two\n`;
    const items = new ItemCache(codeFingerprint());
    loadTimeline(good, { items });
    expect([...items.entries()]).toHaveLength(1);
    expect(loadTimeline(bad, { items }).timeline).toBeUndefined();
    expect([...items.entries()]).toHaveLength(1);
  });

  it('reads a truncated, garbage or foreign cache file as empty, and never trusts it', async () => {
    const text = 'title: T\nevents:\n  - id: one\n    date: 2025-01-01\n    title: One\n';
    const items = new ItemCache(codeFingerprint());
    loadTimeline(text, { items });
    await writeItemCache(cacheDir, 'damaged', items);
    const path = `${cacheDir}/items/damaged.cache`;
    const whole = readFileSync(path, 'utf8');
    expect(parseItemEntries(Buffer.from(whole), items.code)).toHaveLength(1);
    // The sums made again by the test are the file's own: only the damage makes a file below refused.
    expect(resummedBatch(whole)).toBe(whole);
    expect(resummedHeads(whole, '"id":["one"]', '"id":["one"]')).toBe(whole);
    // A batch summed as another version of the code sums it is refused.
    expect(parseItemEntries(Buffer.from(whole.replace(items.code, 'another-version!')), 'another-version!')).toBeUndefined();
    const damages = [
      whole.slice(0, -5),
      whole.slice(0, Math.floor(whole.length / 2)),
      'garbage',
      '',
      whole.replace(items.code, 'another-version!'),
      whole.replace(/\n\{.*\n$/, '\n{"a":1}\n'),
      `${whole}["x",1]\n`,
      // Still JSON of the right shape, one character changed: only the sum tells.
      whole.replace('"One"', '"Onf"'),
      whole.replace('"2025-01-01"', '"2025-01-02"'),
      whole.replace(/\n(\d+) [0-9a-f]{8}\n/, '\n$1 00000000\n'),
      // With sums made again for the damage: what the checks after the sum find.
      resummedBatch(whole.replace(/\n\{.*\n$/, '\n{"a":1}\n')),
      resummedBatch(whole.replace('"id":["one"]', '"id":[1]')),
      // With both lengths and the sum made again: each column checked for its shape and length.
      ...[
        ['"id":["one"]', '"id":[1]'],
        ['"id":["one"]', '"id":["one","two"]'],
        ['"title":["One"]', '"title":[null]'],
        ['"date":["2025-01-01"]', '"date":["2025-02-30"]'],
        ['"actors":[[]]', '"actors":["a"]'],
        ['"parts":[0,-1]', '"parts":[0,-2]'],
        ['"parts":[0,-1]', '"parts":[1,-1]'],
        ['"parts":[0,-1]', '"parts":[0]'],
        ['"rest":[]', '"rest":[0]'],
        ['"values":[]', '"values":[0,{}]'],
        ['"rest":[]', '"rest":[1,{}]'],
        ['"rest":[]', '"rest":[0,{},0,{}]'],
        ['"key":["', '"key":[1,"'],
      ].map(([from, to]) => resummedHeads(whole, from!, to!)),
    ];
    for (const damaged of damages.slice(-5)) expect(damaged).not.toBe(whole);
    for (const damaged of damages) {
      writeFileSync(path, damaged);
      const read = await readItemCache(cacheDir, 'damaged');
      expect([...read.entries()]).toEqual([]);
      expect(asBuilt(loadTimeline(text, { items: read }))).toStrictEqual(loadTimeline(text));
    }
    // An event's summary follows the heads as it is (after its sources), its length in the heads.
    const summarised = `${text}    summary: "A summary long enough\\nto follow its line raw"\n    sources: [{ url: "https://example.org/a", date: 2025-01 }]\n`;
    const withSummary = new ItemCache(codeFingerprint());
    loadTimeline(summarised, { items: withSummary });
    await writeItemCache(cacheDir, 'summary', withSummary);
    const summaryPath = `${cacheDir}/items/summary.cache`;
    const file = readFileSync(summaryPath, 'utf8');
    const sources = '[{"url":"https://example.org/a","date":"2025-01"}]';
    expect(file).toContain(`"parts":[${sources.length},44]`);
    expect(file.endsWith(`}\n${sources}A summary long enough\nto follow its line raw`)).toBe(true);
    expect(resummedBatch(file)).toBe(file);
    const read = await readItemCache(cacheDir, 'summary');
    expect(asBuilt(loadTimeline(summarised, { items: read }))).toStrictEqual(loadTimeline(summarised));
    expect(read.reused(0)).toBe(true);
    // Read back as they were written, without being decoded: the same file again.
    await writeItemCache(cacheDir, 'summary-again', new ItemCache(codeFingerprint(), read.entries()));
    expect(readFileSync(`${cacheDir}/items/summary-again.cache`, 'utf8')).toBe(file);
    const summaryDamages = [
      file.slice(0, -3),
      file.slice(0, -1),
      file.replace('to follow its line raw', 'to follow its line rax'),
      `${file}5 ["x",1,{}]\nabcde\n`,
      resummedBatch(file.slice(0, -1)),
      resummedBatch(`${file}x`),
      ...[',43]', ',45]', ',"44"]', ',-2]', ',99999999999999999999]'].map((to) => resummedHeads(file, ',44]', to)),
      // Lengths that add up but cut the sources' JSON elsewhere: refused before it is decoded.
      ...[
        [sources.length - 1, 45],
        [sources.length + 1, 43],
      ].map(([a, b]) => resummedHeads(file, `"parts":[${sources.length},44]`, `"parts":[${a},${b}]`)),
    ];
    for (const damaged of summaryDamages) {
      writeFileSync(summaryPath, damaged);
      const damagedRead = await readItemCache(cacheDir, 'summary');
      expect([...damagedRead.entries()], damaged.slice(-100)).toEqual([]);
      expect(asBuilt(loadTimeline(summarised, { items: damagedRead }))).toStrictEqual(loadTimeline(summarised));
    }
    // The layout of the text read last: a damaged one is not used either.
    const layoutPath = `${cacheDir}/items/damaged.layout`;
    const layout = readFileSync(layoutPath, 'utf8');
    // It holds the text's length and the hashes of its blocks, not the text.
    expect(parseItemLayout(layout, items.code)).toMatchObject({ length: text.length, hashes: [expect.any(String)], quiet: ['0'] });
    expect(layout).not.toContain('title: One');
    // A changed JSON line with its checksum made again: the shape checks must refuse it on their own.
    const resummed = (damaged: string) => {
      const [head, json] = damaged.split('\n');
      return `${head!.replace(/ [\w-]+$/, ` ${hash('sha256', json!, 'base64url')}`)}\n${json}\n`;
    };
    expect(parseItemLayout(resummed(layout), items.code)).toBeDefined();
    const layoutDamages = [
      layout.slice(0, -3),
      `${layout}  - id: two\n`,
      layout.replace(items.code, 'another-version!'),
      layout.replace('"starts":[', '"starts":[-5,'),
      layout.replace('"keys":["', '"keys":["x'),
      resummed(layout.replace('"starts":[', '"starts":[-5,')),
      resummed(layout.replace(/"stops":\[\d+/, '"stops":[1')),
      resummed(layout.replace(/"seens":\[\d+/, '"seens":[999')),
      resummed(layout.replace('"keys":["', '"keys":[1,"')),
      resummed(layout.replace('"hashes":["', '"hashes":["x')),
      resummed(layout.replace('"hashes":[', '"hashes":["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",')),
      resummed(layout.replace(` ${text.length} `, ` ${text.length + BLOCK} `)),
      resummed(layout.replace(` ${text.length} `, ` ${text.length - 1} `)),
      resummed(layout.replace('"ends":[', '"ends":[0,').replace('"hashes":[', '"hashes":["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",')),
      resummed(
        layout.replace('"ends":[', '"ends":[1.5,').replace('"hashes":[', '"hashes":["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",'),
      ),
      resummed(layout.replace('{', '[')),
      // Lint flags: one 0 or 1 per item, for a now.
      resummed(layout.replace('"quiet":"', '"quiet":"1')),
      resummed(layout.replace(/"quiet":"[01]/, '"quiet":"2')),
      resummed(layout.replace(/"now":"[^"]*"/, '"now":1')),
      resummed(layout.replace(/"quiet":"[01]*"/, '"quiet":[]')),
      'garbage',
    ];
    for (const damaged of layoutDamages) {
      writeFileSync(layoutPath, damaged);
      const read = await readItemCache(cacheDir, 'damaged');
      expect(read.layout, damaged.slice(0, 200)).toBeUndefined();
      expect(asBuilt(loadTimeline(text, { items: read }))).toStrictEqual(loadTimeline(text));
    }
  });

  it('appends the items a load added, and writes the file anew when it would hold too many stale ones', async () => {
    const item = (n: number) => `  - id: e${n}\n    date: 2025-01-01\n    title: Event ${n}\n`;
    const file = (from: number, to: number) => `title: T\nevents:\n${Array.from({ length: to - from }, (_, i) => item(from + i)).join('')}`;
    const path = `${cacheDir}/items/append.cache`;
    let items = await readItemCache(cacheDir, 'append');
    loadTimeline(file(0, 10), { items });
    await writeItemCache(cacheDir, 'append', items);
    const first = readFileSync(path, 'utf8');
    items = await readItemCache(cacheDir, 'append');
    loadTimeline(file(0, 11), { items });
    expect(items.count).toBe(11);
    await writeItemCache(cacheDir, 'append', items);
    const second = readFileSync(path, 'utf8');
    expect(second.startsWith(first)).toBe(true);
    // One batch appended: its line of length and sum, the length of its heads, and its heads.
    expect(second.split('\n')).toHaveLength(first.split('\n').length + 3);
    // A load that stops at an error before its items keeps a file of 100 as it is (not written
    // anew as if all were stale).
    items = await readItemCache(cacheDir, 'failed');
    loadTimeline(file(0, 100), { items });
    await writeItemCache(cacheDir, 'failed', items);
    const failedPath = `${cacheDir}/items/failed.cache`;
    const kept = readFileSync(failedPath, 'utf8');
    const inode = statSync(failedPath).ino;
    items = await readItemCache(cacheDir, 'failed');
    expect(loadTimeline(file(0, 100).replace('title: T', 'title: [T'), { items }).timeline).toBeUndefined();
    await writeItemCache(cacheDir, 'failed', items);
    expect(statSync(failedPath).ino).toBe(inode);
    expect(readFileSync(failedPath, 'utf8')).toBe(kept);
    // 100 loads of other items: the file never holds much more than twice what the last load used.
    for (let n = 1; n <= 100; n++) {
      items = await readItemCache(cacheDir, 'append');
      const text = file(n * 3, n * 3 + 10);
      expect(asBuilt(loadTimeline(text, { items }))).toStrictEqual(loadTimeline(text));
      await writeItemCache(cacheDir, 'append', items);
      expect(parseItemEntries(readFileSync(path), items.code)?.length).toBeLessThanOrEqual(2 * 10 + 64);
    }
  });
});

/** A cache file of one batch with its sum made again: damage only the checks after the sum find. */
/** A file of one batch with `from` replaced by `to` in its heads, and the heads' length and the
 * batch's length and sum made again: only the checks of the heads' shape can refuse it. */
function resummedHeads(file: string, from: string, to: string): string {
  const header = file.slice(0, file.indexOf('\n') + 1);
  const rest = Buffer.from(file.slice(header.length));
  const body = rest.subarray(rest.indexOf('\n') + 1);
  const newline = body.indexOf('\n');
  const length = Number(body.toString('latin1', 0, newline));
  const heads = body.toString('utf8', newline + 1, newline + 1 + length);
  expect(heads).toContain(from);
  const changed = Buffer.from(heads.replace(from, to));
  const parts = body.subarray(newline + 1 + length);
  return resummedBatch(`${header}0 0\n${changed.length}\n${changed.toString()}${parts.toString()}`);
}

/** A file of one batch with that batch's length and sum made again (the sum begins with the
 * loading code's, named in the header, as item-cache-file.ts makes it). */
function resummedBatch(file: string): string {
  const header = file.slice(0, file.indexOf('\n') + 1);
  const code = header.trim().split(' ').at(-1)!;
  const rest = file.slice(header.length);
  const body = Buffer.from(rest.slice(rest.indexOf('\n') + 1));
  return `${header}${body.length} ${crc32(body, crc32(code)).toString(16).padStart(8, '0')}\n${body.toString()}`;
}
