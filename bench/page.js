// `node bench/page.js [--sizes 1000,10000,100000] [--runs 3]`: the timeline page at size, measured.
// For each size: HTML bytes and elements an event (all pages together), the index page's size, and
// in Chromium (Debian's, as the browser tests use it) when the filters work after navigation start,
// and how long a tag filter, clearing it and a search take to reach the screen (input to the next
// frame; on a split timeline once its search index is in, as after the reader reaches the form).
// Prints medians of --runs page loads. Not part of `npm test`: timings on a shared machine are noisy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './chromium.js';
import { generateEventsFile } from './generate-events.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const sizes = flag('--sizes', '1000,10000,100000').split(',').map(Number);
const runs = Number(flag('--runs', '3'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// A folder of its own: two benchmarks running at once (other sessions, helpers) must not share one.
const work = mkdtempSync(join(tmpdir(), 'chronicle-bench-page-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_FLAGS,
});
for (const size of sizes) {
  const dir = join(work, String(size));
  const file = join(work, `events-${size}.yaml`);
  spawnSync('mkdir', ['-p', dir]);
  writeFileSync(file, generateEventsFile({ events: size }));
  const built = spawnSync(process.execPath, [join(root, 'dist', 'bin.cjs'), 'build', file, '-o', dir, '--no-newsletter', '--quiet'], {
    env: { ...process.env, CHRONICLE_CACHE: 'off' },
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(built.stderr);
  const pages = readdirSync(dir).filter((name) => name.endsWith('.html'));
  let bytes = 0;
  let elements = 0;
  for (const name of pages) {
    const html = readFileSync(join(dir, name), 'utf8');
    bytes += Buffer.byteLength(html);
    // Start tags (elements) outside the inline <style>, <script> and SVG <defs> text.
    elements += (html.replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/g, '<$1>').match(/<[a-zA-Z][^>]*>/g) ?? []).length;
  }
  const index = readFileSync(join(dir, 'index.html'));
  const search = pages.length > 1 ? readFileSync(join(dir, 'search.json')) : undefined;
  const served = serve(dir);
  await new Promise((resolve) => served.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${served.address().port}/`;
  const ready = [];
  const tag = [];
  const clear = [];
  const search1 = [];
  for (let r = 0; r < runs; r++) {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    await page.waitForFunction(() => performance.getEntriesByName('chronicle:filters-ready').length > 0, null, { timeout: 120_000 });
    ready.push(await page.evaluate(() => performance.getEntriesByName('chronicle:filters-ready')[0].startTime));
    // A reader reaches the filters before choosing: focus fetches the search index of a split timeline.
    await page.focus('select[name=tag]');
    if (search)
      await page.waitForFunction(() => performance.getEntriesByName('chronicle:index-ready').length > 0, null, { timeout: 120_000 });
    tag.push(await timeToFrame(page, 'select[name=tag]', 'chips', 'change'));
    clear.push(await timeToFrame(page, 'select[name=tag]', '', 'change'));
    search1.push(await timeToFrame(page, 'input[name=q]', 'cluster', 'input'));
    await page.close();
  }
  served.close();
  const gz = (buffer) => `${Math.round(gzipSync(buffer).length / 1024)} KB gzipped`;
  console.log(
    `${size.toLocaleString('en')} events: ${pages.length} page(s), ${Math.round(bytes / size)} bytes and ${(elements / size).toFixed(1)} elements an event; ` +
      `index.html ${Math.round(index.length / 1024)} KB (${gz(index)})${search ? `, search.json ${Math.round(search.length / 1024)} KB (${gz(search)})` : ''}; ` +
      `filters ready ${Math.round(median(ready))} ms after navigation start, tag filter ${Math.round(median(tag))} ms, clearing it ${Math.round(median(clear))} ms, search ${Math.round(median(search1))} ms to the next frame (medians of ${runs})`,
  );
}
await browser.close();

/** From setting a field to the frame that shows the result (the script applies changes at the next frame). */
function timeToFrame(page, selector, value, type) {
  return page.evaluate(
    ([selector, value, type]) =>
      new Promise((resolve) => {
        const field = document.querySelector(selector);
        const started = performance.now();
        field.value = value;
        field.dispatchEvent(new Event(type, { bubbles: true }));
        // Two frames: the script's update runs in the first, the second starts once it is painted.
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - started)));
      }),
    [selector, value, type],
  );
}

function serve(dir) {
  const types = { '.html': 'text/html; charset=utf-8', '.json': 'application/json' };
  return createServer((request, response) => {
    const url = new URL(request.url, 'http://x').pathname;
    const path = url.endsWith('/') ? `${url}index.html` : url;
    try {
      const body = readFileSync(join(dir, path));
      response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
}
