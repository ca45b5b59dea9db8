// Filtering a split timeline with its search index (templates/timeline/filter.js): the page's fast
// paths (per-tag and per-actor event lists, one string for every text, narrowing from the last
// matches when the reader types on) must find exactly what a plain walk over search.json finds,
// for the count, this page's events, the picture's bars and the other pages' links.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGeneratedSite, hasChromium, launchChromium, serveFolder } from './chromium.js';

interface SearchIndex {
  pages: string[];
  tagKeys: string[];
  actorKeys: string[];
  id: string[];
  page: number[];
  month: string[];
  tags: number[][];
  actors: number[][];
  text: string[];
}

/** The plain walk: every event, every filter. */
function expected(index: SearchIndex, tag: string, actor: string, q: string): number[] {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const tagAt = index.tagKeys.indexOf(tag);
  const actorAt = index.actorKeys.indexOf(actor);
  return index.id
    .map((_, i) => i)
    .filter(
      (i) =>
        (!tag || index.tags[i]!.includes(tagAt)) &&
        (!actor || index.actors[i]!.includes(actorAt)) &&
        words.every((w) => index.text[i]!.includes(w)),
    );
}

async function shownOnPage(page: Page) {
  return page.evaluate(() => ({
    count: document.querySelector('.count')?.textContent,
    ids: Array.from(document.querySelectorAll('li.event:not([hidden]) article'), (a) => a.id.replace(/^event-/, '')),
    comingUp: Array.from(document.querySelectorAll('.coming-up article'), (a) => a.id.replace(/^event-/, '')),
    bars: Array.from(document.querySelectorAll('svg.tp .tp-bar[data-n] .tp-count'), (t) => Number(t.textContent)).reduce(
      (a, b) => a + b,
      0,
    ),
    elsewhere: Array.from(document.querySelectorAll('.elsewhere a'), (a) => Number(/\((\d+)\)$/.exec(a.textContent ?? '')?.[1])),
  }));
}

describe.skipIf(!hasChromium)('filtering a split timeline with its search index', () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serveFolder>>;
  let index: SearchIndex;

  beforeAll(async () => {
    const out = buildGeneratedSite(2500);
    index = JSON.parse(readFileSync(join(out, 'search.json'), 'utf8'));
    browser = await launchChromium();
    site = await serveFolder(out);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('finds what a plain walk over search.json finds, typing on, widening and combining filters', async () => {
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.focus('select[name=tag]');
    await page.waitForFunction(() => performance.getEntriesByName('chronicle:index-ready').length > 0, null, { timeout: 30_000 });
    const actor = index.actorKeys[0]!;
    const steps: [string, string, string][] = [
      ['chips', '', ''],
      ['chips', actor, ''],
      ['', actor, ''],
      ['', '', 'clu'],
      ['', '', 'clus'], // narrowing: only the last matches are looked at
      ['', '', 'cluster open'],
      ['', '', 'cluster'], // widening: a new walk
      ['', '', 'open clu'],
      ['chips', '', 'report'],
      ['chips', '', 'zzzz'],
      ['', '', ''],
    ];
    const here = index.pages.indexOf('index.html');
    for (const [tag, who, q] of steps) {
      await page.selectOption('select[name=tag]', tag);
      await page.selectOption('select[name=actor]', who);
      await page.fill('input[name=q]', q);
      const want = expected(index, tag, who, q);
      const label = `tag=${tag} actor=${who} q=${q}`;
      await expect.poll(() => page.locator('.count').textContent(), { message: label }).toBe(`Showing ${want.length} of 2500 events`);
      const shown = await shownOnPage(page);
      expect(shown.ids, label).toEqual(want.filter((i) => index.page[i] === here).map((i) => index.id[i]));
      const upcoming = new Set(shown.comingUp);
      expect(shown.bars, label).toBe(want.filter((i) => index.month[i] && !upcoming.has(index.id[i]!)).length);
      const filtering = Boolean(tag || who || q);
      const elsewhere = want.filter((i) => index.page[i] !== here).length;
      expect(
        shown.elsewhere.reduce((a, b) => a + b, 0),
        label,
      ).toBe(filtering ? elsewhere : 0);
    }
    await page.close();
  }, 120_000);
});
