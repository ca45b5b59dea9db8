// A large timeline is split: the index keeps the newest years, each older year is a page of its own.
// Every event is reachable by links without JavaScript, old `index.html#event-x` permalinks are sent
// to the year page that holds the event, and filtering counts matches on the other pages.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGeneratedSite, hasChromium, launchChromium, serveFolder } from './chromium.js';

describe.skipIf(!hasChromium)('year pages of a large timeline', () => {
  let browser: Browser;
  let out: string;
  let site: Awaited<ReturnType<typeof serveFolder>>;

  beforeAll(async () => {
    out = buildGeneratedSite(2500);
    browser = await launchChromium();
    site = await serveFolder(out);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('puts every event on exactly one page, each page linked from the index nav', () => {
    const pages = readdirSync(out).filter((name) => name.endsWith('.html'));
    expect(pages).toContain('2000.html');
    const ids = pages.flatMap((name) =>
      [...readFileSync(join(out, name), 'utf8').matchAll(/<article id="event-([^"]+)"/g)].map((m) => m[1]),
    );
    expect(ids).toHaveLength(2500);
    expect(new Set(ids).size).toBe(2500);
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    for (const page of pages.filter((name) => name !== 'index.html')) expect(index).toContain(`href="${page}"`);
    expect(index).not.toContain('data-text=');
  });

  it('follows the nav to a year page without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(site.url);
    await page.click('nav .jump a[href="2000.html"]');
    await expect.poll(() => page.url()).toContain('2000.html');
    expect(await page.locator('article#event-event-1').count()).toBe(1);
    await context.close();
  });

  it('sends an old permalink on the index to the year page that holds the event', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}#event-event-1`);
    await expect.poll(() => page.url(), { timeout: 20_000 }).toBe(`${site.url}2000.html#event-event-1`);
    await page.close();
  });

  it('counts matches on every page and links to the other pages with the same filters', async () => {
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.selectOption('select[name=tag]', 'chips');
    await expect.poll(() => page.locator('.elsewhere a').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.locator('.elsewhere a').first().getAttribute('href')).toMatch(/^\d{4}\.html\?tag=chips$/);
    const expected = (readFileSync(join(out, 'search.json'), 'utf8').match(/"chips"/g) ?? []).length; // sanity: the tag exists
    expect(expected).toBe(1);
    await page.close();
  });
});
