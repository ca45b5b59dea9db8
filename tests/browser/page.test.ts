// The timeline page in a real browser (Debian's Chromium): loads clean, accessible, works without
// JavaScript, filters and searches with the state in the URL, and never runs what users wrote.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEventsFile } from '../../bench/generate-events.js';
import { ROOT, runBinary, tempDir } from '../helpers.js';
import { hasChromium, launchChromium, serveFolder } from './chromium.js';

// Screenshots go to a temporary folder (removed with it), or to CHRONICLE_SCREENSHOTS_DIR to keep them.
const SCREENSHOTS = process.env.CHRONICLE_SCREENSHOTS_DIR ?? join(tempDir(), 'screenshots');

function buildInto(file: string, extra: string[] = []): string {
  const dir = tempDir();
  const result = runBinary(['build', file, '-o', join(dir, 'out'), ...extra], { cwd: ROOT });
  if (result.code !== 0) throw new Error(result.stderr);
  return join(dir, 'out');
}

async function visibleEventIds(page: Page): Promise<string[]> {
  return page.$$eval('li.event:not([hidden]) article', (articles) => articles.map((a) => a.id.replace(/^event-/, '')));
}

describe.skipIf(!hasChromium)('the timeline page in Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveFolder>>;

  beforeAll(async () => {
    browser = await launchChromium();
    server = await serveFolder(buildInto('events.yaml'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads with no console error and no request to another origin, and axe finds no violation', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(server.url);
    expect(errors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:'))).toEqual([]);
    await page.addScriptTag({ content: axe.source });
    const violations = await page.evaluate(async () =>
      (await (window as unknown as { axe: typeof axe }).axe.run()).violations.map((v) => `${v.id}: ${v.help}`),
    );
    expect(violations).toEqual([]);
    await page.close();
  });

  it('shows every event with JavaScript off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.url);
    expect(await page.locator('article').count()).toBe(11);
    expect(await page.locator('#filters').isHidden()).toBe(true);
    await context.close();
  });

  it('filters by tag and by actor, searches, and keeps the state in the URL', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.selectOption('select[name=tag]', 'benchmarks');
    await expect.poll(() => visibleEventIds(page)).toEqual(['deepseek-r1-beats-o1-claim']);
    await expect.poll(() => page.url()).toContain('?tag=benchmarks');
    await page.selectOption('select[name=tag]', '');
    await page.selectOption('select[name=actor]', 'high-flyer');
    await expect.poll(() => visibleEventIds(page)).toEqual(['high-flyer-founded', 'high-flyer-fire-flyer-clusters', 'deepseek-founded']);
    expect(await page.locator('.count').textContent()).toBe('Showing 3 of 11 events');
    await page.selectOption('select[name=actor]', '');
    await page.fill('input[name=q]', 'fire-flyer');
    await expect.poll(() => visibleEventIds(page)).toEqual(['high-flyer-fire-flyer-clusters']);
    // A shared link opens with the same filters.
    const shared = await browser.newPage();
    await shared.goto(`${server.url}?actor=openai&q=o3`);
    expect(await visibleEventIds(shared)).toEqual(['openai-o3-announced', 'openai-o3-launch']);
    expect(await shared.inputValue('input[name=q]')).toBe('o3');
    await page.close();
    await shared.close();
  });

  it('scrolls to an event from its permalink', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}#event-openai-o3-launch`);
    await expect
      .poll(() =>
        page.locator('#event-openai-o3-launch').evaluate((el) => {
          const box = el.getBoundingClientRect();
          return box.top >= 0 && box.top < window.innerHeight;
        }),
      )
      .toBe(true);
    await page.close();
  });

  it('takes screenshots at 390 and 1280 pixels wide', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const width of [390, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(server.url);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SCREENSHOTS, `timeline-${width}.png`), fullPage: true });
      await page.close();
    }
  });

  it('runs none of the script that users wrote, and shows it as text', async () => {
    const out = buildInto('tests/fixtures/injection.yaml');
    const injected = await serveFolder(out);
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await page.goto(injected.url);
    await page.locator('article').first().hover();
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    // biome-ignore lint/performance/useDomNodeTextContent: what a reader sees is the point here
    const text = await page.locator('body').innerText();
    expect(text).toContain("<script>window.__pwned='event title'</script>");
    expect(text).toContain('<img src=x onerror="window.__pwned=\'entity\'">');
    expect(text).toContain("{{constructor.constructor('window.__pwned=3')()}}");
    expect(await page.title()).toBe("<script>window.__pwned = 'title'</script> Timeline");
    // No link in the page points anywhere but http(s) or the page itself.
    const hrefs = await page.$$eval('a[href]', (links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((href) => !/^(https?:|#|feed\.|upcoming\.|timeline\.)/.test(href))).toEqual([]);
    await page.close();
    await injected.close();
  });

  it('stays usable with 10,000 events (timings are logged; the bench measures them)', async () => {
    const dir = tempDir({ 'big.yaml': generateEventsFile({ events: 10_000 }) });
    const out = buildInto(join(dir, 'big.yaml'));
    const big = await serveFolder(out);
    const page = await browser.newPage();
    await page.goto(big.url);
    const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
    const filterMs = await page.evaluate(async () => {
      const select = document.querySelector<HTMLSelectElement>('select[name=tag]')!;
      const count = document.querySelector('.count')!;
      const started = performance.now();
      const changed = new Promise((resolve) =>
        new MutationObserver(resolve).observe(count, { childList: true, characterData: true, subtree: true }),
      );
      select.value = 'chips';
      select.dispatchEvent(new Event('input', { bubbles: true }));
      await changed;
      return performance.now() - started;
    });
    console.log(`10,000 events: first contentful paint ${Math.round(paint)} ms, filtering ${Math.round(filterMs)} ms`);
    // The index holds the newest years; the count covers every page once the search index is in.
    const expected = (readFileSync(join(dir, 'big.yaml'), 'utf8').match(/tags: \[[^\]]*\bchips\b/g) ?? []).length;
    await expect.poll(() => page.locator('.count').textContent(), { timeout: 20_000 }).toBe(`Showing ${expected} of 10000 events`);
    await page.close();
    await big.close();
  }, 120_000);
});

describe.skipIf(!hasChromium)('screenshots folder', () => {
  it('is ignored by git', () => {
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8')).toContain('tests/output/');
  });
});
