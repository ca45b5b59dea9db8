import axe from 'axe-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGeneratedSite, hasChromium, launchChromium, serveFolder } from './chromium.js';

/** Lighthouse's mobile preset (Moto G Power). */
const MOBILE = { viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true };

describe.skipIf(!hasChromium)('a big one-page timeline with lazily rendered years', () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serveFolder>>;

  beforeAll(async () => {
    const out = buildGeneratedSite(1000);
    browser = await launchChromium();
    site = await serveFolder(out);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('gives every year a placeholder at least as tall as the year, at 320, 412 and 1280 px', async () => {
    for (const width of [320, 412, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      await page.goto(site.url);
      const years = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('section.year ol.events'), (ol) => {
          const style = getComputedStyle(ol);
          const placeholder = Number.parseFloat(style.containIntrinsicHeight.split(' ').pop() ?? '');
          const lazy = style.contentVisibility;
          ol.style.contentVisibility = 'visible';
          return { year: ol.parentElement?.id, lazy, ratio: placeholder / ol.getBoundingClientRect().height };
        }),
      );
      expect(years.length).toBeGreaterThan(20);
      for (const { year, lazy, ratio } of years) {
        expect(lazy, year).toBe('auto');
        expect(ratio, `${year} at ${width} px`).toBeGreaterThanOrEqual(1);
        // Not wildly over either: the scrollbar stays about right.
        expect(ratio, `${year} at ${width} px`).toBeLessThan(1.5);
      }
      await page.close();
    }
  });

  it('has no axe violation on the whole page as Lighthouse loads it (mobile, years not yet rendered)', async () => {
    const page = await browser.newPage(MOBILE);
    await page.goto(site.url);
    await page.addScriptTag({ content: axe.source });
    const violations = await page.evaluate(async () =>
      (await (window as unknown as { axe: typeof axe }).axe.run(document)).violations.map(
        (v) => `${v.id}: ${v.nodes.length} nodes, first ${v.nodes[0]?.target.join(' ')}`,
      ),
    );
    expect(violations).toEqual([]);
    await page.close();
  }, 180_000);
});
