// `node bench/lighthouse.js [--events 1000]`: Lighthouse 12 (mobile preset) on the timeline page of a
// generated file, served gzipped on 127.0.0.1 as static hosts serve it, in Debian's Chromium
// (headless, the flags the browser tests use). Prints the four category scores and the key metrics.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './chromium.js';
import { generateEventsFile } from './generate-events.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const events = Number(args.includes('--events') ? args[args.indexOf('--events') + 1] : 1000);
// A folder of its own: two benchmarks running at once (other sessions, helpers) must not share one.
const work = mkdtempSync(join(tmpdir(), 'chronicle-bench-lighthouse-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
mkdirSync(work, { recursive: true });
const file = join(work, 'events.yaml');
writeFileSync(file, generateEventsFile({ events }));
const out = join(work, 'out');
const built = spawnSync(process.execPath, [join(root, 'dist', 'bin.cjs'), 'build', file, '-o', out, '--no-newsletter', '--quiet'], {
  env: { ...process.env, CHRONICLE_CACHE: 'off' },
  encoding: 'utf8',
});
if (built.status !== 0) throw new Error(built.stderr);

const types = { '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.xml': 'application/xml' };
const server = createServer((request, response) => {
  const url = new URL(request.url, 'http://x').pathname;
  const path = url.endsWith('/') ? `${url}index.html` : url;
  try {
    const body = gzipSync(readFileSync(join(out, path)));
    response.writeHead(200, {
      'content-type': types[extname(path)] ?? 'application/octet-stream',
      'content-encoding': 'gzip',
      'cache-control': 'max-age=600',
    });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM_PATH,
  chromeFlags: CHROMIUM_FLAGS,
});
try {
  const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error' });
  const { categories, audits } = result.lhr;
  const score = (id) => Math.round(categories[id].score * 100);
  console.log(
    `Lighthouse ${result.lhr.lighthouseVersion} mobile, ${events.toLocaleString('en')} events served gzipped: performance ${score('performance')}, accessibility ${score('accessibility')}, best practices ${score('best-practices')}, SEO ${score('seo')}`,
  );
  for (const id of [
    'first-contentful-paint',
    'largest-contentful-paint',
    'total-blocking-time',
    'cumulative-layout-shift',
    'dom-size',
    'mainthread-work-breakdown',
  ]) {
    console.log(`  ${audits[id].title}: ${audits[id].displayValue}`);
  }
  for (const category of ['accessibility', 'best-practices', 'seo']) {
    for (const ref of categories[category].auditRefs) {
      const audit = audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        console.log(`  ${category} fails ${ref.id}: ${audit.title}`);
        for (const item of (audit.details?.items ?? []).slice(0, 3))
          console.log(`    ${item.node?.snippet ?? JSON.stringify(item).slice(0, 200)}`);
      }
    }
  }
} finally {
  chrome.kill();
  server.close();
}
