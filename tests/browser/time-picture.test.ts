// The picture of time in Chromium: its links lead to events and years, it is reachable by keyboard,
// it follows the filters, it is there without JavaScript, axe finds nothing, and screenshots of it
// (390 and 1280 px, light and dark) land in a temporary folder, or CHRONICLE_SCREENSHOTS_DIR to look at them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEventsFile } from '../../bench/generate-events.js';
import { ROOT, runBinary, tempDir } from '../helpers.js';
import { hasChromium, launchChromium, serveFolder } from './chromium.js';

// A temporary folder removed with the file's others, or CHRONICLE_SCREENSHOTS_DIR to keep them.
const SCREENSHOTS = process.env.CHRONICLE_SCREENSHOTS_DIR ?? join(tempDir(), 'screenshots');

function buildInto(file: string): string {
  const out = join(tempDir(), 'out');
  const result = runBinary(['build', file, '-o', out], { cwd: ROOT });
  if (result.code !== 0) throw new Error(result.stderr);
  return out;
}

/** axe on the whole page, or only on `within` (a page of 1,000 events takes axe a minute). */
async function axeViolations(page: Page, within?: string): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  return page.evaluate(
    async (context) =>
      (await (window as unknown as { axe: typeof axe }).axe.run(context ? { include: [context] } : document)).violations.map(
        (v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      ),
    within,
  );
}

describe.skipIf(!hasChromium)('the picture of time', () => {
  let browser: Browser;
  const sites: Record<string, Awaited<ReturnType<typeof serveFolder>>> = {};

  beforeAll(async () => {
    browser = await launchChromium();
    const big = tempDir({ 'thousand.yaml': generateEventsFile({ events: 1000 }) });
    sites.seed = await serveFolder(buildInto('events.yaml'));
    sites.shapes = await serveFolder(buildInto('tests/fixtures/time-shapes.yaml'));
    sites.thousand = await serveFolder(buildInto(join(big, 'thousand.yaml')));
  });
  afterAll(async () => {
    await browser?.close();
    for (const site of Object.values(sites)) await site.close();
  });

  it('links every mark to its event, and every bar to a year that is on the page', async () => {
    for (const name of ['seed', 'shapes', 'thousand']) {
      const page = await browser.newPage();
      await page.goto(sites[name]!.url);
      const hrefs = await page.$$eval('svg.tp a', (links) => links.map((a) => a.getAttribute('href') ?? ''));
      expect(hrefs.length).toBeGreaterThan(0);
      const missing = await page.evaluate(
        (list) => list.filter((href) => !href.startsWith('#') || !document.getElementById(href.slice(1))),
        hrefs,
      );
      expect(missing, name).toEqual([]);
      await page.close();
    }
  });

  it('shows each precision: a point for a day, a span for a month, quarter or interval, a ring when approximate', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(sites.shapes!.url);
    const widthOf = (id: string) =>
      page
        .locator(`svg.tp a[href="#event-${id}"] .tp-shape`)
        .first()
        .evaluate((el) => el.getBoundingClientRect().width);
    expect(await widthOf('paper')).toBeLessThan(12);
    expect(await widthOf('q4')).toBeGreaterThan(await widthOf('launch')); // a quarter is wider than a month
    expect(await widthOf('long-project')).toBeGreaterThan(await widthOf('q4'));
    expect(await page.locator('svg.tp a[href="#event-about-march"] .tp-ring').count()).toBe(1);
    expect(await page.locator('svg.tp a.tp-c[href="#event-claim-benchmark"] use').count()).toBe(1); // a diamond
    expect(await page.locator('svg.tp a.tp-u[href="#event-someday"]').count()).toBe(1); // undated, at the end
    expect(await page.locator('svg.tp a.tp-h[href="#event-model"]').count()).toBe(1);
    await page.close();
  });

  it('is reached by the keyboard and Enter follows a mark to its event', async () => {
    const page = await browser.newPage();
    await page.goto(sites.seed!.url);
    let inPicture = false;
    for (let i = 0; i < 10 && !inPicture; i++) {
      await page.keyboard.press('Tab');
      inPicture = await page.evaluate(() => Boolean(document.activeElement?.closest('svg.tp')));
    }
    expect(inPicture).toBe(true);
    const href = await page.evaluate(() => document.activeElement?.getAttribute('href'));
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).hash).toBe(href);
    await page.close();
  });

  it('follows the filters: marks of hidden events fade, bars count what is shown', async () => {
    const page = await browser.newPage();
    await page.goto(sites.seed!.url);
    await page.selectOption('select[name=tag]', 'benchmarks');
    await expect.poll(() => page.locator('svg.tp a.tp-mark:not(.tp-dim)').count()).toBe(1);
    expect(await page.locator('svg.tp a.tp-mark:not(.tp-dim)').getAttribute('href')).toBe('#event-deepseek-r1-beats-o1-claim');
    await page.selectOption('select[name=tag]', '');
    await expect.poll(() => page.locator('svg.tp a.tp-dim').count()).toBe(0);

    const big = await browser.newPage();
    await big.goto(sites.thousand!.url);
    const sumOfBars = () => big.$$eval('svg.tp .tp-bar[data-n] .tp-count', (texts) => texts.reduce((n, t) => n + Number(t.textContent), 0));
    expect(await sumOfBars()).toBe(1000);
    await big.fill('input[name=q]', 'chip cluster');
    await expect.poll(async () => (await big.locator('.count').textContent())?.startsWith('Showing 1000')).toBe(false);
    const shown = await big.locator('li.event:not([hidden])').count();
    expect(await sumOfBars()).toBe(shown);
    await page.close();
    await big.close();
  });

  it('is there without JavaScript, with its text alternative', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(sites.seed!.url);
    expect(await page.locator('svg.tp a').count()).toBeGreaterThanOrEqual(11);
    expect(await page.locator('svg.tp title#tp-title').count()).toBe(1);
    expect(await page.locator('figure.time-picture figcaption').textContent()).toContain('11 events from 2015 to');
    await context.close();
  });

  it('has no axe violation, and its link targets are at least 24 px', async () => {
    for (const name of ['seed', 'shapes', 'thousand']) {
      for (const width of [390, 1280]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(sites[name]!.url);
        if (name !== 'thousand' || width === 390) {
          expect(await axeViolations(page, name === 'thousand' ? 'figure.time-picture' : undefined), `${name} at ${width}`).toEqual([]);
        }
        const small = await page.$$eval('svg.tp a', (links) =>
          links.map((a) => a.getBoundingClientRect()).filter((box) => box.width < 24 || box.height < 24),
        );
        expect(small, `${name} at ${width}`).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.close();
      }
    }
  }, 120_000);

  it('takes screenshots at 390 and 1280 px, light and dark, into the temp folder', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const name of ['seed', 'shapes', 'thousand']) {
      for (const width of [390, 1280]) {
        for (const colorScheme of ['light', 'dark'] as const) {
          const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
          await page.goto(sites[name]!.url);
          await page.locator('figure.time-picture').screenshot({ path: join(SCREENSHOTS, `picture-${name}-${width}-${colorScheme}.png`) });
          await page.close();
        }
      }
    }
  }, 120_000);
});
