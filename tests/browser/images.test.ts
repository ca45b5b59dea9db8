// Pictures of events in Chromium: a local picture is served from media/ under its hashed name with
// its size set before it loads (nothing shifts), lazily; a page without a remote picture asks no other
// server for anything; a remote https picture is the page's one request elsewhere; a missing file
// stops the build.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsFile, ROOT, runBinary, tempDir } from '../helpers.js';
import { tinyPng } from '../support/tiny-images.js';
import { hasChromium, launchChromium, serveFolder } from './chromium.js';

const event = (id: string, date: string, image: string) => `  - id: ${id}
    date: ${date}
    title: Event ${id}
    sources:
      - { publisher: DeepSeek }
    image: ${image}
`;

function buildSite(events: string, files: Record<string, Buffer> = {}): { out: string; result: ReturnType<typeof runBinary> } {
  const dir = tempDir({ 'events.yaml': eventsFile(events) });
  mkdirSync(join(dir, 'pics'));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  const out = join(dir, 'out');
  return { out, result: runBinary(['build', join(dir, 'events.yaml'), '-o', out, '--no-newsletter'], { cwd: ROOT }) };
}

describe.skipIf(!hasChromium)('pictures of events in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads a local picture from media/ with its width and height set, and asks no other server', async () => {
    const { out, result } = buildSite(event('a', '2025-01-20', '{ src: pics/chart.png, alt: "A chart" }'), {
      'pics/chart.png': tinyPng(64, 48, 200),
    });
    expect(result.code, result.stderr).toBe(0);
    const site = await serveFolder(out);
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(site.url);
      const img = page.locator('#event-a figure.picture img');
      expect(await img.getAttribute('alt')).toBe('A chart');
      expect(await img.getAttribute('loading')).toBe('lazy');
      expect(await img.getAttribute('src')).toMatch(/^media\/[0-9a-f]{12}\.png$/);
      // The box has the picture's shape before it loads (width/height attributes, height: auto).
      const box = await img.evaluate((el: HTMLImageElement) => ({ w: el.getAttribute('width'), h: el.getAttribute('height') }));
      expect(box).toEqual({ w: '64', h: '48' });
      await img.scrollIntoViewIfNeeded();
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(64);
      expect(await img.evaluate((el: HTMLImageElement) => el.naturalHeight)).toBe(48);
      const rendered = await img.boundingBox();
      expect(Math.round((rendered!.height / rendered!.width) * 64)).toBe(48);
      const origin = new URL(site.url).origin;
      expect(requests.length).toBeGreaterThan(0);
      expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
      expect(requests.some((url) => /\/media\/[0-9a-f]{12}\.png$/.test(url))).toBe(true);
      await page.close();
    } finally {
      await site.close();
    }
  });

  it('allows a remote https picture: the only request to another server', async () => {
    const { out, result } = buildSite(event('r', '2025-01-20', '{ src: "https://images.example.org/r.png", alt: "Remote" }'));
    expect(result.code, result.stderr).toBe(0);
    const site = await serveFolder(out);
    try {
      const page = await browser.newPage();
      const elsewhere: string[] = [];
      const origin = new URL(site.url).origin;
      // Nothing leaves the machine: the remote picture is answered here, and counted.
      await page.route(
        (url) => url.origin !== origin,
        async (route) => {
          elsewhere.push(route.request().url());
          await route.fulfill({ status: 200, contentType: 'image/png', body: tinyPng(10, 10) });
        },
      );
      await page.goto(site.url);
      const img = page.locator('#event-r img');
      expect(await img.getAttribute('src')).toBe('https://images.example.org/r.png');
      await img.scrollIntoViewIfNeeded();
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(10);
      expect(elsewhere).toEqual(['https://images.example.org/r.png']);
      await page.close();
    } finally {
      await site.close();
    }
  });

  it('refuses to build when a local picture is missing', () => {
    const { result } = buildSite(event('m', '2025-01-20', '{ src: pics/gone.png, alt: "Gone" }'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/events\.yaml:\d+:\d+ {2}events\[\d\]\.image\.src {2}the picture "pics\/gone\.png" is not there/);
  });
});
