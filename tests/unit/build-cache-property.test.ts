// The cache never changes a byte: random sequences of edits (add, remove, edit, reorder events;
// rename an entity; change a template or the locale; move now) built with the fragment cache
// (kept in memory as serve does, and through its file as build does) and without it.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateEventsFile } from '../../bench/generate-events.js';
import { ItemCache } from '../../src/events/item-cache.js';
import { loadTimeline } from '../../src/events/load.js';
import { eventSourceKey } from '../../src/events/source-key.js';
import { StoredEvent } from '../../src/events/stored-event.js';
import { readItemCache, writeItemCache } from '../../src/io/item-cache-file.js';
import { FragmentCache, parseEntries, readFragmentCache, writeFragmentCache } from '../../src/pipeline/fragments.js';
import { BUILTIN_TEMPLATES } from '../../src/render/locales.js';
import { buildSite } from '../../src/site/build-site.js';
import { createRenderer } from '../../src/site/renderer.js';
import { resolveSettings } from '../../src/site/settings.js';
import { contentText, tempDir } from '../helpers.js';

interface EventModel {
  id: string;
  date: string;
  title: string;
  summary?: string;
  status: string;
  actors: string[];
  tags: string[];
  related: string[];
}

interface State {
  events: EventModel[];
  entityName: string;
  locale: 'en' | 'fr';
  now: string;
  /** Whether the user's templates folder (a changed event partial) is used. */
  customTemplate: boolean;
  templateMark: string;
}

const DATES = ['2024-01-05', '2024-03', '2024', '2025-Q1', '2025-06-01/2025-06-09', '2026-02-10', '2023-07/..'];
const STATUSES = ['happened', 'announced', 'upcoming', 'rumored', 'cancelled'];
const WORDS = ['DeepSeek', 'releases', 'R1', '*open*', 'weights', '`o3`', 'a <b>', 'model', '"quoted"', 'é'];

const text = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
const eventFields = fc.record({
  date: fc.constantFrom(...DATES),
  title: text,
  summary: fc.option(text, { nil: undefined }),
  status: fc.constantFrom(...STATUSES),
  actors: fc.subarray(['a', 'b']),
  tags: fc.subarray(['x', 'y']),
  relatedTo: fc.nat(),
});

type EventFields = typeof eventFields extends fc.Arbitrary<infer T> ? T : never;

type Op =
  | { kind: 'add'; fields: EventFields }
  | { kind: 'remove'; at: number }
  | { kind: 'edit'; at: number; fields: EventFields }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'entity'; name: string }
  | { kind: 'template'; mark: string }
  | { kind: 'locale' }
  | { kind: 'now'; now: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), fields: eventFields }) },
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('edit' as const), at: fc.nat(), fields: eventFields }) },
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('entity' as const), name: fc.constantFrom('Alpha', 'Beta & co', 'Gamma') }),
  fc.record({ kind: fc.constant('template' as const), mark: fc.constantFrom('', 'one', 'two') }),
  fc.record({ kind: fc.constant('locale' as const) }),
  fc.record({ kind: fc.constant('now' as const), now: fc.constantFrom('2024-02-01', '2025-07-01', '2026-12-31') }),
);

let serial = 0;
function apply(state: State, o: Op): State {
  const events = [...state.events];
  const toEvent = (id: string, f: EventFields): EventModel => ({
    id,
    date: f.date,
    title: f.title,
    ...(f.summary ? { summary: f.summary } : {}),
    status: f.status,
    actors: f.actors,
    tags: f.tags,
    related: events.length > 0 ? [events[f.relatedTo % events.length]!.id].filter((r) => r !== id) : [],
  });
  switch (o.kind) {
    case 'add':
      events.push(toEvent(`e${++serial}`, o.fields));
      return { ...state, events };
    case 'remove':
      if (events.length > 1) events.splice(o.at % events.length, 1);
      // Keep references valid: a dangling `related` is an error, and errors build nothing.
      return { ...state, events: events.map((e) => ({ ...e, related: e.related.filter((r) => events.some((x) => x.id === r)) })) };
    case 'edit':
      if (events.length > 0) {
        const at = o.at % events.length;
        events[at] = toEvent(events[at]!.id, o.fields);
      }
      return { ...state, events };
    case 'swap': {
      if (events.length > 0) {
        const a = o.a % events.length;
        const b = o.b % events.length;
        [events[a], events[b]] = [events[b]!, events[a]!];
      }
      return { ...state, events };
    }
    case 'entity':
      return { ...state, entityName: o.name };
    case 'template':
      return { ...state, customTemplate: o.mark !== '', templateMark: o.mark };
    case 'locale':
      return { ...state, locale: state.locale === 'en' ? 'fr' : 'en' };
    case 'now':
      return { ...state, now: o.now };
  }
}

function yamlOf(state: State): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    'title: Cache test',
    `locale: ${state.locale}`,
    'base_url: https://example.org/t/',
    'entities:',
    `  a: { name: ${q(state.entityName)}, kind: organization }`,
    '  b: { name: Bee, kind: person }',
    'tags:',
    '  x: Ex',
    '  y: Why',
    'events:',
  ];
  for (const e of state.events) {
    lines.push(`  - id: ${e.id}`, `    date: ${q(e.date)}`, `    title: ${q(e.title)}`);
    if (e.summary) lines.push(`    summary: ${q(e.summary)}`);
    lines.push(`    status: ${e.status}`);
    if (e.actors.length) lines.push(`    actors: [${e.actors.join(', ')}]`);
    if (e.tags.length) lines.push(`    tags: [${e.tags.join(', ')}]`);
    if (e.related.length) lines.push(`    related: [${e.related.join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

const overrides = tempDir();
const cacheDir = tempDir();

/** Events read before, as build and serve keep them: the cached builds key events by their item's text. */
const items = new ItemCache('property');
let lastKeyed = false;
/** Builds whose events came (some of them) from the item file. */
let storedLoads = 0;

async function buildAll(state: State, fragments: FragmentCache | undefined, itemFile = false): Promise<Map<string, string>> {
  // Through the item file, as build reads it: events whose sources and summary are decoded lazily.
  const loadItems = itemFile ? await readItemCache(cacheDir, 'property-items') : items;
  const { timeline, problems } = loadTimeline(yamlOf(state), { now: state.now, ...(fragments ? { items: loadItems } : {}) });
  if (itemFile && fragments) await writeItemCache(cacheDir, 'property-items', loadItems);
  if (timeline?.events.some((event) => event instanceof StoredEvent)) storedLoads++;
  if (!timeline) throw new Error(problems.map((p) => p.message).join('\n'));
  let templatesDir: string | undefined;
  if (state.customTemplate) {
    // One folder whose files change: settings name the folder, so only the sources tell the marks apart.
    templatesDir = join(overrides, 'custom');
    mkdirSync(join(templatesDir, 'timeline', 'partials'), { recursive: true });
    const event = readFileSync(join(BUILTIN_TEMPLATES, 'timeline', 'partials', 'event.hbs'), 'utf8');
    writeFileSync(
      join(templatesDir, 'timeline', 'partials', 'event.hbs'),
      event.replace('<header>', `<header data-mark="${state.templateMark}">`),
    );
    // The year template too: a year is a fragment of its own (src/timeline/page.ts).
    const year = readFileSync(join(BUILTIN_TEMPLATES, 'timeline', 'partials', 'year.hbs'), 'utf8');
    writeFileSync(
      join(templatesDir, 'timeline', 'partials', 'year.hbs'),
      year.replace('<section class="year"', `<section data-mark="${state.templateMark}" class="year"`),
    );
  }
  if (fragments) lastKeyed = timeline.events.every((e) => eventSourceKey(e) !== undefined);
  const settings = resolveSettings(templatesDir ? { templatesDir } : {}, timeline, {});
  const renderer = await createRenderer(settings);
  const site = await buildSite(timeline, { settings, renderer, ...(fragments ? { fragments } : {}) });
  const files = new Map<string, string>();
  for (const [name, content] of site.files) {
    files.set(name, contentText(content));
  }
  return files;
}

describe('the fragment cache', () => {
  it('never changes a byte of any output, whatever the sequence of edits', async () => {
    const start: State = { events: [], entityName: 'Alpha', locale: 'en', now: '2025-07-01', customTemplate: false, templateMark: '' };
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), fc.boolean(), async (ops, throughFile) => {
        let state = apply(start, {
          kind: 'add',
          fields: { date: '2024-01-05', title: 'First', summary: undefined, status: 'happened', actors: ['a'], tags: ['x'], relatedTo: 0 },
        });
        let cache = await readFragmentCache(cacheDir, 'property-none');
        for (const o of ops) {
          state = apply(state, o);
          const cached = await buildAll(state, cache, throughFile);
          // The cached build's events were keyed by their item's text, not serialised.
          expect(lastKeyed).toBe(true);
          const plain = await buildAll(state, undefined);
          expect([...cached.keys()]).toEqual([...plain.keys()]);
          for (const [name, content] of plain) expect(cached.get(name), name).toBe(content);
          if (throughFile) {
            await writeFragmentCache(cacheDir, 'property', cache);
            cache = await readFragmentCache(cacheDir, 'property');
          } else cache.settle();
        }
      }),
      {
        numRuns: 25,
        // Always: a template whose text changes in the same folder (the settings stay the same).
        examples: [
          [
            [
              { kind: 'template', mark: 'one' },
              { kind: 'template', mark: 'two' },
            ],
            false,
          ],
        ],
      },
    );
    // The item file's lazily decoded events went through the byte-for-byte comparison.
    expect(storedLoads).toBeGreaterThan(0);
  }, 120_000);

  it('never changes a byte of a split timeline either (timeline.json and search.json kept in runs of events)', async () => {
    // 2,100 events over 21 years: year pages, search.json, and runs of about 64 events
    // (src/pipeline/chunks.ts) that an edit changes one or two of.
    const many: EventModel[] = Array.from({ length: 2_100 }, (_, i) => ({
      id: `m${i}`,
      date: `${2000 + Math.floor(i / 100)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      title: `Event ${i} ${WORDS[i % WORDS.length]}`,
      ...(i % 4 ? {} : { summary: `About *event* ${i}` }),
      status: 'happened',
      actors: i % 3 ? ['a'] : [],
      tags: i % 2 ? ['x'] : ['y'],
      related: i % 10 === 5 ? [`m${i - 1}`] : [],
    }));
    const edits = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), fields: eventFields }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('edit' as const), at: fc.nat(), fields: eventFields }),
      fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(edits, { minLength: 2, maxLength: 4 }), async (ops) => {
        let state: State = { events: many, entityName: 'Alpha', locale: 'en', now: '2025-07-01', customTemplate: false, templateMark: '' };
        let cache = await readFragmentCache(cacheDir, 'split-none');
        await buildAll(state, cache);
        for (const o of ops) {
          await writeFragmentCache(cacheDir, 'split', cache);
          cache = await readFragmentCache(cacheDir, 'split');
          state = apply(state, o);
          const cached = await buildAll(state, cache);
          const plain = await buildAll(state, undefined);
          expect(cached.has('search.json')).toBe(true);
          expect([...cached.keys()]).toEqual([...plain.keys()]);
          for (const [name, content] of plain) expect(cached.get(name), name).toBe(content);
        }
      }),
      {
        numRuns: 3,
        // Shrinking 2,100-event builds would take minutes: the first failure is reported as it is.
        endOnFailure: true,
        // Always: each kind of edit once; the edit keeps its event's date (and place), in an old year.
        examples: [
          [
            [
              {
                kind: 'edit',
                at: 150,
                fields: {
                  date: '2001-07-11',
                  title: 'Edited',
                  summary: 'Now *with* a summary',
                  status: 'happened',
                  actors: ['b'],
                  tags: [],
                  relatedTo: 3,
                },
              },
              {
                kind: 'add',
                fields: {
                  date: '2026-02-10',
                  title: 'Added',
                  summary: undefined,
                  status: 'announced',
                  actors: [],
                  tags: ['x'],
                  relatedTo: 7,
                },
              },
              { kind: 'remove', at: 1_000 },
              { kind: 'swap', a: 10, b: 2_000 },
            ],
          ],
        ],
      },
    );
  }, 120_000);

  it('renders again only a year, its new article and a few runs of timeline.json and search.json after an add', async () => {
    const text = generateEventsFile({ events: 2_500 });
    const added = `${text.replace(/\n$/, '')}\n  - id: one-more\n    date: 2029-12-30\n    title: One more\n    tags: [models]\n`;
    const loaded = new ItemCache('add');
    const build = async (yaml: string, fragments: FragmentCache) => {
      const { timeline, problems } = loadTimeline(yaml, { items: loaded });
      if (!timeline) throw new Error(problems.map((p) => p.message).join('\n'));
      const settings = resolveSettings({}, timeline, {});
      const site = await buildSite(timeline, { settings, renderer: await createRenderer(settings), fragments });
      for (const content of site.files.values()) if (typeof content !== 'string' && !Buffer.isBuffer(content)) [...content];
    };
    await build(text, await readFragmentCache(cacheDir, 'add-none'));
    const cache = new FragmentCache();
    await build(text, cache);
    cache.settle();
    await build(added, cache);
    const { fresh } = cache.settle();
    // The year, the article and its summary, the year's list sizes, feed entries: and at most
    // three runs each of timeline.json and search.json (chunks.test.ts), never most of them.
    expect(fresh.length).toBeLessThan(12);
    expect(fresh.reduce((n, [, value]) => n + value.length, 0)).toBeLessThan(400_000);
  }, 60_000);

  it('writes the same timeline.json and feeds with no dated event (an empty slide list, no entry) as without the cache', async () => {
    const yaml = 'title: Undated\nevents:\n  - id: someday\n    title: Some day\n    status: upcoming\n';
    const { timeline, problems } = loadTimeline(yaml, { now: '2025-07-01' });
    if (!timeline) throw new Error(problems.map((p) => p.message).join('\n'));
    const settings = resolveSettings({}, timeline, {});
    const renderer = await createRenderer(settings);
    const cached = await buildSite(timeline, { settings, renderer, fragments: await readFragmentCache(cacheDir, 'property-none') });
    const plain = await buildSite(timeline, { settings, renderer });
    expect(contentText(cached.files.get('timeline.json'))).toBe(contentText(plain.files.get('timeline.json')));
    expect(contentText(plain.files.get('timeline.json'))).toContain('"events":[]');
    // Kept feed entries are joined into the feeds by hand (feeds.ts): no entry at all too.
    for (const feed of ['feed.json', 'feed.xml'])
      expect(contentText(cached.files.get(feed)), feed).toBe(contentText(plain.files.get(feed)));
    expect(contentText(plain.files.get('feed.json'))).toContain('"items": []');
  });

  it('renders again an event whose link to a related event moved to another page', async () => {
    // Above 2,000 events older years get pages of their own; adding events to the newest year
    // moves the oldest years of the index to theirs, and a link to one of their events from
    // another page changes (`#event-x` -> `2016.html#event-x`) though no event's data did.
    // 70 events a year over 2000-2029, each related to the one before: every year's first event links into the year before.
    const base = `title: Moves\nevents:\n${Array.from({ length: 2100 }, (_, i) => {
      const date = `${2000 + Math.floor(i / 70)}-01-${String((i % 28) + 1).padStart(2, '0')}`;
      return `  - id: e${i}\n    date: ${date}\n    title: Event ${i}\n${i ? `    related: [e${i - 1}]\n` : ''}`;
    }).join('')}`;
    const more = Array.from(
      { length: 400 },
      (_, i) => `  - id: later-${i}\n    date: 2030-01-${String((i % 28) + 1).padStart(2, '0')}\n    title: Later ${i}\n`,
    ).join('');
    const build = async (text: string, fragments?: FragmentCache) => {
      const { timeline, problems } = loadTimeline(text, { now: '2030-06-30' });
      if (!timeline) throw new Error(problems.map((p) => p.message).join('\n'));
      const settings = resolveSettings({}, timeline, {});
      const site = await buildSite(timeline, { settings, renderer: await createRenderer(settings), ...(fragments ? { fragments } : {}) });
      return new Map([...site.files].map(([name, content]) => [name, contentText(content)]));
    };
    const cache = await readFragmentCache(cacheDir, 'moved-none');
    const before = await build(base, cache);
    cache.settle();
    const cached = await build(base + more, cache);
    const plain = await build(base + more);
    expect([...cached.keys()].filter((name) => !before.has(name)).length).toBeGreaterThan(0);
    for (const [name, content] of plain) expect(cached.get(name), name).toBe(content);
  }, 60_000);

  it('renders again a year whose events did not change when the page becomes large (lists of 25)', async () => {
    // Above 300 events a page splits each year into lists: the 10 years of 29 events below are the
    // same events in the same places before and after the 20 events of 2010 are added.
    const event = (id: string, date: string) => `  - id: ${id}\n    date: ${date}\n    title: Event ${id}\n`;
    const base = `title: Large\nevents:\n${Array.from({ length: 290 }, (_, i) => event(`e${i}`, `${2000 + Math.floor(i / 29)}-02-${String((i % 28) + 1).padStart(2, '0')}`)).join('')}`;
    const more = Array.from({ length: 20 }, (_, i) => event(`later-${i}`, `2010-03-${String(i + 1).padStart(2, '0')}`)).join('');
    const build = async (text: string, fragments?: FragmentCache) => {
      const { timeline, problems } = loadTimeline(text, { now: '2030-06-30', items });
      if (!timeline) throw new Error(problems.map((p) => p.message).join('\n'));
      const settings = resolveSettings({}, timeline, {});
      const site = await buildSite(timeline, { settings, renderer: await createRenderer(settings), ...(fragments ? { fragments } : {}) });
      return [...site.files].map(([name, content]) => [name, contentText(content)]);
    };
    const cache = await readFragmentCache(cacheDir, 'large-none');
    await build(base, cache);
    cache.settle();
    const cached = await build(base + more, cache);
    expect(cached).toEqual(await build(base + more));
    expect(cached.find(([name]) => name === 'index.html')?.[1]).toContain('class="events"');
  }, 60_000);

  it('appends what a build rendered to its file, and writes the file anew once more than a quarter is unused', async () => {
    const path = join(cacheDir, 'fragments', 'log.cache');
    const build = async (keys: string[]) => {
      const cache = await readFragmentCache(cacheDir, 'log');
      for (const key of keys) cache.through(key, () => `<${key}>`.repeat(20));
      await writeFragmentCache(cacheDir, 'log', cache);
      return readFileSync(path, 'utf8');
    };
    const ten = Array.from({ length: 10 }, (_, i) => `k${i}`);
    const first = await build(ten);
    // One more fragment: the file is the old one with a record at its end.
    const second = await build([...ten, 'k10']);
    expect(second.startsWith(first)).toBe(true);
    // One record: its key and length, the value, and the value's sum.
    expect(second.length - first.length).toBe('k10\t100\n'.length + 100 + 8);
    expect([...parseEntries(Buffer.from(second)).keys()]).toEqual([...ten, 'k10']);
    // Nothing new and nothing dropped: not written at all.
    expect(await build([...ten, 'k10'])).toBe(second);
    // A twelfth of the file unused: appended to.
    const nine = await build([...ten.slice(1), 'k10', 'k11']);
    expect(nine.startsWith(second)).toBe(true);
    // A third unused (4 of 12 records): written anew with only what this build used.
    const third = await build([...ten.slice(4), 'k10', 'k11']);
    expect([...parseEntries(Buffer.from(third)).keys()]).toEqual([...ten.slice(4), 'k10', 'k11']);
    expect(third.length).toBeLessThan(nine.length);
    // Most of the file unused: the same.
    const fourth = await build(['k10', 'k12']);
    expect([...parseEntries(Buffer.from(fourth)).keys()]).toEqual(['k10', 'k12']);
    expect(fourth.length).toBeLessThan(first.length / 2);
  });

  it('finds keys by their first 8 characters without a wrong hit when two share them', () => {
    const a = `AAAAAAAA${'a'.repeat(35)}`;
    const b = `AAAAAAAA${'b'.repeat(35)}`;
    const c = `BBBBBBBB${'c'.repeat(35)}`;
    const file = `chronicle-fragments 4\n${[record(a, '1'), record(c, '3'), record(b, '2'), record('short', '4'), record(c, '5')].join('')}`;
    const entries = parseEntries(Buffer.from(file));
    expect(entries.get(b)?.toString()).toBe('2');
    // a lost its place to b, which starts alike: a miss (rendered again), never b's fragment.
    expect(entries.get(a)).toBeUndefined();
    // The last record of a key wins, as in any log; keys of another shape are found by their text.
    expect(entries.get(c)?.toString()).toBe('5');
    expect(entries.get('short')?.toString()).toBe('4');
    expect(entries.get(`AAAAAAAA${'z'.repeat(35)}`)).toBeUndefined();
    expect([...entries.keys()]).toEqual([b, 'short', c]);
  });

  it('ignores a truncated or garbage cache file instead of trusting it', async () => {
    // LENGTH counts bytes: `é` is two.
    const full = `chronicle-fragments 4\n${record('k1', 'abc')}${record('k2', 'dé')}`;
    const entries = (text: string) => parseEntries(Buffer.from(text));
    expect([...entries(full)].map(([key, value]) => [key, value.toString()])).toEqual([
      ['k1', 'abc'],
      ['k2', 'dé'],
    ]);
    expect(entries(full.slice(0, -1)).size).toBe(0);
    expect(entries(`${full}x`).size).toBe(0);
    expect(entries(`${full}k3\t1`).size).toBe(0);
    expect(entries('garbage').size).toBe(0);
    expect(entries('chronicle-fragments 4\nk1\t-3\n').size).toBe(0);
    expect(entries('chronicle-fragments 3\nk1\t3\nabc').size).toBe(0);
    expect(entries('chronicle-fragments 1\n[["k1",3]]\nabc').size).toBe(0);
    // One byte of a value changed (its sum no longer matches): that value is a miss, never output.
    const changed = entries(full.replace('abc', 'abd'));
    expect(changed.get('k1')).toBeUndefined();
    expect(changed.get('k2')?.toString()).toBe('dé');
    writeFileSync(join(cacheDir, 'fragments-garbage.cache'), '\u0000\u0001');
    mkdirSync(join(cacheDir, 'fragments'), { recursive: true });
    writeFileSync(join(cacheDir, 'fragments', 'garbage.cache'), full.slice(0, 29));
    const cache = await readFragmentCache(cacheDir, 'garbage');
    expect(cache.through('k1', () => 'fresh')).toBe('fresh');
  });
});

/** A record of the fragment file: key, length in bytes, the value, its CRC-32. */
function record(key: string, value: string): string {
  const bytes = Buffer.from(value);
  return `${key}\t${bytes.length}\n${value}${crc32(bytes).toString(16).padStart(8, '0')}`;
}
