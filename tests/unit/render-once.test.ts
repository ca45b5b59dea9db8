// What a build computes once and shares must give the bytes computing it each time gave: the
// picture of time laid out once for every page, with only each page's links filled in; the
// built-in templates precompiled when chronicle is built.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateEventsFile } from '../../bench/generate-events.js';
import { formatEventDate } from '../../src/events/dates.js';
import { loadTimeline } from '../../src/events/load.js';
import type { Timeline, TimelineEvent } from '../../src/events/model.js';
import { loadLocale } from '../../src/render/locales.js';
import { renderFeeds, timelineJsParts } from '../../src/timeline/feeds.js';
import { searchIndex, searchIndexParts } from '../../src/timeline/pages.js';
import { layTimePicture, renderTimePicture } from '../../src/timeline/time-picture.js';
import { buildPageViews } from '../../src/timeline/view.js';
import { isComingUp } from '../../src/timeline/walk.js';
import { ROOT, run, runBinary, tempDir } from '../helpers.js';

function timelineOf(text: string, now: string): Timeline {
  const { timeline, problems } = loadTimeline(text, { now });
  if (!timeline) throw new Error(problems.map((p) => p.message).join('\n'));
  return timeline;
}

const cases: [string, Timeline][] = [
  [
    'every shape of date (marks, undated, coming up)',
    timelineOf(readFileSync(join(ROOT, 'tests/fixtures/time-shapes.yaml'), 'utf8'), '2025-06-30'),
  ],
  ['the seed', timelineOf(readFileSync(join(ROOT, 'events.yaml'), 'utf8'), '2025-02-01')],
  ['2,500 events (a histogram over year pages)', timelineOf(generateEventsFile({ events: 2500 }), '2030-06-30')],
];

describe('the picture of time laid out once', () => {
  it.each(cases)('gives every page the bytes of its own layout: %s', async (_name, timeline) => {
    const locale = await loadLocale('en');
    const input = {
      events: timeline.events,
      now: timeline.now,
      lang: 'en',
      labels: locale.labels,
      formatDate: (date: NonNullable<TimelineEvent['date']>) => formatEventDate(date, locale.dates),
      isComingUp: (event: TimelineEvent) => isComingUp(event, timeline.now),
    };
    const laid = layTimePicture(input);
    // Pages differ only by links: the index, a year page, and links that need escaping.
    const pages = [
      { eventHref: (e: TimelineEvent) => `#event-${e.id}`, yearHref: (y: string) => `#year-${y}` },
      { eventHref: (e: TimelineEvent) => `index.html#event-${e.id}`, yearHref: (y: string) => `${y}.html` },
      { eventHref: (e: TimelineEvent) => `a&b"<${e.id}>`, yearHref: (y: string) => `'${y}'&` },
    ];
    for (const links of pages) {
      const once = laid(links);
      const each = renderTimePicture({ ...input, ...links });
      expect(once.html).toBe(each.html);
      expect(once.css).toBe(each.css);
      expect(once.html).not.toContain('\u0000');
    }
  });

  it('lays out each page on its own when a label holds the token character', async () => {
    const timeline = cases[0]![1];
    const locale = await loadLocale('en');
    const labels = { ...locale.labels, picture_title: 'When\u0000y2020\u0000 things happened' };
    const input = {
      events: timeline.events,
      now: timeline.now,
      lang: 'en',
      labels,
      formatDate: (date: NonNullable<TimelineEvent['date']>) => formatEventDate(date, locale.dates),
      isComingUp: (event: TimelineEvent) => isComingUp(event, timeline.now),
    };
    const links = { eventHref: (e: TimelineEvent) => `#event-${e.id}`, yearHref: (y: string) => `x${y}.html` };
    expect(layTimePicture(input)(links).html).toBe(renderTimePicture({ ...input, ...links }).html);
  });
});

describe('the built-in templates compiled to JavaScript when chronicle is built', () => {
  it('are all found by the built binary (no template of the page is compiled at build time)', () => {
    const script = `
      const { timelineSources, shippedBody } = await import('./dist/render/precompiled.js');
      const { compactMarkup } = await import('./dist/render/templates.js');
      const { INLINE_TEMPLATES } = await import('./dist/timeline/page.js');
      const { BUILTIN_TEMPLATES } = await import('./dist/render/locales.js');
      const sources = await timelineSources(BUILTIN_TEMPLATES, compactMarkup, INLINE_TEMPLATES);
      console.log(JSON.stringify(sources.map((s) => shippedBody(s) !== undefined)));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const found = JSON.parse(result.stdout) as boolean[];
    expect(found.length).toBeGreaterThanOrEqual(6);
    expect(found.every(Boolean)).toBe(true);
  });

  it('give the bytes compiling the templates gives', async () => {
    // The binary uses dist/compiled-templates.json; this process runs src/, where there is none.
    const dir = tempDir({ 'events.yaml': readFileSync(join(ROOT, 'events.yaml'), 'utf8') });
    const shipped = runBinary(['build', 'events.yaml', '-o', 'shipped', '--now', '2025-02-01', '--no-newsletter', '--quiet'], { cwd: dir });
    expect(shipped.stderr).toBe('');
    const compiled = await run(['build', 'events.yaml', '-o', 'compiled', '--now', '2025-02-01', '--no-newsletter', '--quiet'], dir);
    expect(compiled.code).toBe(0);
    const names = readdirSync(join(dir, 'compiled')).sort();
    expect(readdirSync(join(dir, 'shipped')).sort()).toEqual(names);
    expect(names).toContain('index.html');
    for (const name of names.filter((n) => !n.startsWith('.'))) {
      expect(readFileSync(join(dir, 'shipped', name), 'utf8'), name).toBe(readFileSync(join(dir, 'compiled', name), 'utf8'));
    }
  });
});

describe('summaries rendered once and kept between builds', () => {
  it('a rebuild whose summaries did not change does not load markdown-it, and writes the same bytes', () => {
    const dir = tempDir({ 'events.yaml': readFileSync(join(ROOT, 'events.yaml'), 'utf8') });
    const tracer = join(ROOT, 'tests/support/trace-imports.mjs');
    const build = (out: string) => {
      const trace = join(dir, `${out}-imports.txt`);
      // ESM imports through the tracer; require() (markdown-it is required when first needed) through NODE_DEBUG.
      const result = runBinary(['build', 'events.yaml', '-o', out, '--now', '2025-02-01', '--no-newsletter', '--quiet'], {
        cwd: dir,
        env: {
          CHRONICLE_CACHE: 'on',
          CHRONICLE_CACHE_DIR: join(dir, 'cache'),
          TRACE_IMPORTS_FILE: trace,
          NODE_OPTIONS: `--import ${tracer}`,
          NODE_DEBUG: 'module',
        },
      });
      expect(result.code).toBe(0);
      // The cache fingerprint resolves markdown-it/package.json (its version) without loading markdown-it.
      const lines = `${result.stderr}\n${readFileSync(trace, 'utf8')}`.split('\n');
      return lines.some((line) => line.includes('markdown-it') && !line.includes('markdown-it/package.json'));
    };
    expect(build('first')).toBe(true);
    expect(build('second')).toBe(false);
    for (const name of readdirSync(join(dir, 'first')).filter((n) => !n.startsWith('.')))
      expect(readFileSync(join(dir, 'second', name), 'utf8'), name).toBe(readFileSync(join(dir, 'first', name), 'utf8'));
    // A changed summary is rendered again (strong emphasis: the simple-emphasis fast path leaves it to markdown-it).
    const events = readFileSync(join(dir, 'events.yaml'), 'utf8');
    const edited = events.replace(/summary: (>-\n\s+)?/, (m) => `${m}**Edited** `);
    expect(edited).not.toBe(events);
    writeFileSync(join(dir, 'events.yaml'), edited);
    expect(build('third')).toBe(true);
  }, 60_000);
});

describe('big outputs written in parts', () => {
  it.each(cases)('timeline.json and search.json in parts are the bytes of one JSON.stringify: %s', async (_name, timeline) => {
    const locale = await loadLocale('en');
    const baseUrl = 'https://example.org/t/';
    expect([...timelineJsParts(timeline, baseUrl, locale)].join('')).toBe(renderFeeds(timeline, baseUrl, locale)['timeline.json']);
    const pages = buildPageViews(timeline, locale, { baseUrl });
    expect([...searchIndexParts(timeline, pages)].join('')).toBe(searchIndex(timeline, pages));
  });

  it('timeline.json in parts over many parts (1,201 dated events) and with none', async () => {
    const locale = await loadLocale('en');
    const many = timelineOf(generateEventsFile({ events: 1201 }), '2030-06-30');
    const parts = [...timelineJsParts(many, undefined, locale)];
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.join('')).toBe(renderFeeds(many, undefined, locale)['timeline.json']);
    const none = timelineOf('title: Undated\nevents:\n  - id: someday\n    title: Some day\n    status: upcoming\n', '2025-07-01');
    expect([...timelineJsParts(none, undefined, locale)].join('')).toBe(renderFeeds(none, undefined, locale)['timeline.json']);
    const split = buildPageViews(many, locale);
    expect([...searchIndexParts(many, split)].join('')).toBe(searchIndex(many, split));
  });
});
