// `node bench/newsletter.js`: personalised .eml files for 10,000 recipients of a 20-event issue,
// side by side with the floor (a bare Handlebars render of the compiled HTML plus writing the bytes,
// per recipient) and with compiling MJML for every recipient (timed on a sample, then scaled).
// In process (deliverIssue) and as a whole process (`chronicle newsletter --recipients`, the compiled
// issue cached as on a rerun, and uncached). Medians of several runs, wall time and, in process, the
// process's CPU time (all threads: file writes, GC); also the peak memory of the whole command for
// 1,000, 10,000 and 100,000 recipients.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import { loadTimeline } from '../dist/events/load.js';
import { deliverIssue } from '../dist/newsletter/deliver.js';
import { readRecipients } from '../dist/newsletter/recipients.js';
import { buildIssueFiles } from '../dist/newsletter/site.js';
import { issueWindow } from '../dist/newsletter/window.js';
import { createTemplateSet } from '../dist/render/templates.js';
import { generateMonthFile, generateSubscribers } from './generate-events.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_RUNS, BENCH_PEAK_MAX and BENCH_WHOLE=0 (in process only) shorten a run on a busy machine.
const RECIPIENTS = 10_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WHOLE = process.env.BENCH_WHOLE !== '0';
const SECRET = 'bench-secret-of-at-least-thirty-two-bytes';
// A folder of its own: two benchmarks running at once (other sessions, helpers) must not share one.
const work = mkdtempSync(join(tmpdir(), 'chronicle-bench-mail-'));
mkdirSync(work, { recursive: true });

const text = generateMonthFile(20);
writeFileSync(join(work, 'events.yaml'), text);
const PEAKS = [1_000, RECIPIENTS, 100_000].filter((n) => n <= Number(process.env.BENCH_PEAK_MAX ?? 100_000));
for (const n of new Set([RECIPIENTS, ...PEAKS])) writeFileSync(join(work, `subscribers-${n}.csv`), generateSubscribers(n));
const timeline = loadTimeline(text).timeline;
const issue = await buildIssueFiles(timeline, {
  window: issueWindow(timeline.now, {}),
  locale: 'en',
  baseUrl: timeline.baseUrl,
  secret: SECRET,
});
// The compiled (pass-1) HTML of the issue, tokens left in, as the floor renders it.
const compiledHtml = issue.compiled.render({ recipient: { name: '{{recipient.name}}' }, unsubscribe_url: '{{unsubscribe_url}}' }).html;

// Each case writes 10,000 files into an empty folder, which is removed right after it, untimed: so every
// case starts just after the previous case's 10,000 files were deleted. (ext4 skips recently deleted
// inodes when it allocates new ones; a case that followed a fresh deletion while another did not paid
// for it: the cached whole process came out slower than the uncached one.)
async function floor() {
  const dir = join(work, 'floor');
  mkdirSync(dir);
  const template = Handlebars.compile(compiledHtml);
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < RECIPIENTS; i++) {
    const html = template({ recipient: { name: `Reader ${i + 1}` }, unsubscribe_url: `https://example.org/u/${i}` });
    await writeFile(join(dir, `${i}.html`), html);
  }
  const took = timing(started, cpu);
  rmSync(dir, { recursive: true, force: true });
  return took;
}

async function ours() {
  const folder = join(work, 'ours');
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { recipients } = await readRecipients(join(work, `subscribers-${RECIPIENTS}.csv`), 'subscribers.csv');
  await deliverIssue({
    timeline,
    compiled: issue.compiled,
    issueId: issue.id,
    folder,
    recipients,
    suppressions: new Map(),
    suppressionsPath: join(work, 'suppressions.csv'),
    secret: SECRET,
  });
  const took = timing(started, cpu);
  rmSync(folder, { recursive: true, force: true });
  return took;
}

/** Wall and CPU seconds since `started`. */
function timing(started, cpu) {
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 };
}

async function mjmlPerRecipient() {
  // The real issue's MJML (pass 1 of our templates), compiled again for each recipient.
  const sample = 30;
  const template = await createTemplateSet().template('newsletter/issue.mjml.hbs');
  const view = issue.compiled.view;
  const started = performance.now();
  for (let i = 0; i < sample; i++) {
    const mjmlText = template({ ...view, hasUnsubscribe: true, whyText: 'why', moreText: '' });
    await mjml2html(mjmlText, { validationLevel: 'strict', minify: true, minifyOptions: { minifyCss: false }, fonts: {} });
  }
  return ((performance.now() - started) / 1000 / sample) * RECIPIENTS;
}

/** The whole command as a user runs it, in seconds; `cached`: the compiled issue is in the cache. */
function whole(cached) {
  const cache = join(work, 'cache');
  if (!cached) rmSync(cache, { recursive: true, force: true });
  // An empty output folder, as for the floor and the in-process case (rewriting 10,000 existing files
  // costs the file system more than writing new ones).
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'dist/bin.cjs'),
      'newsletter',
      'events.yaml',
      '--recipients',
      `subscribers-${RECIPIENTS}.csv`,
      '-o',
      join(work, 'out-whole'),
      '-q',
    ],
    { cwd: work, env: { ...process.env, CHRONICLE_SECRET: SECRET, CHRONICLE_CACHE: 'on', CHRONICLE_CACHE_DIR: cache }, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  const took = (performance.now() - started) / 1000;
  rmSync(join(work, 'out-whole'), { recursive: true, force: true });
  return took;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { floor: [], ours: [], mjml: [], cold: [], warm: [] };
for (let run = 0; run < RUNS; run++) {
  results.floor.push(await floor());
  results.ours.push(await ours());
  if (!WHOLE) continue;
  results.cold.push(whole(false));
  results.warm.push(whole(true));
}
results.mjml.push(await mjmlPerRecipient());

function peak(n) {
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      process.execPath,
      join(root, 'dist/bin.cjs'),
      'newsletter',
      'events.yaml',
      '--recipients',
      `subscribers-${n}.csv`,
      '-o',
      join(work, `out-${n}`),
      '-q',
    ],
    {
      cwd: work,
      env: { ...process.env, CHRONICLE_SECRET: SECRET, CHRONICLE_CACHE: 'off' },
      encoding: 'utf8',
    },
  );
  return Math.round(Number(r.stderr.trim().split('\n').at(-1)) / 1024);
}

const f = median(results.floor.map((r) => r.wall));
const o = median(results.ours.map((r) => r.wall));
const fCpu = median(results.floor.map((r) => r.cpu));
const oCpu = median(results.ours.map((r) => r.cpu));
const m = results.mjml[0];
console.log(`| case (${RECIPIENTS.toLocaleString('en')} recipients, 20-event issue) | median s (CPU s) | vs floor (CPU) |`);
console.log('|---|---|---|');
console.log(`| floor: Handlebars render + write, per recipient | ${f.toFixed(2)} (${fCpu.toFixed(2)}) | 1.0x |`);
console.log(
  `| chronicle: render + MIME (.eml) + write, per recipient | ${o.toFixed(2)} (${oCpu.toFixed(2)}) | ${(o / f).toFixed(2)}x (${(oCpu / fCpu).toFixed(2)}x) |`,
);
if (WHOLE) {
  const w = median(results.warm);
  const c = median(results.cold);
  console.log(
    `| whole process, \`chronicle newsletter --recipients\`, issue cached (a rerun) | ${w.toFixed(2)} | ${(w / f).toFixed(2)}x |`,
  );
  console.log(`| whole process, issue compiled (first run, cache empty) | ${c.toFixed(2)} | ${(c / f).toFixed(2)}x |`);
}
console.log(
  `| MJML compile per recipient (30 timed, scaled to 10,000) | ${m.toFixed(1)} | ${(m / f).toFixed(0)}x (chronicle is ${(m / o).toFixed(0)}x faster) |`,
);
console.log(
  `\npeak memory of \`chronicle newsletter --recipients\`: ${PEAKS.map((n) => `${peak(n)} MB for ${n.toLocaleString('en')} recipients`).join(', ')}`,
);
rmSync(work, { recursive: true, force: true });
