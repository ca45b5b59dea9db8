// `node bench/compare.js [--runs N] [--skip-large] [--only NAME]`: chronicle side by side with its
// peers on the same generated files, runs alternating (chronicle, Eleventy 3, the bare-script floor,
// chronicle, ...), and the ratio of medians to Eleventy's full build, in wall time and in CPU time
// (user + system: steadier than wall time on a shared machine). Peak RSS from /usr/bin/time.
// Not part of `npm test`: the machine is shared, so only ratios within one run mean anything.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateEventsFile } from './generate-events.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist', 'bin.cjs');
const args = process.argv.slice(2);
const runs = Number(flagValue('--runs') ?? 5);
const only = flagValue('--only');
const skipLarge = args.includes('--skip-large');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const node = process.execPath;

function flagValue(flag) {
  const i = args.indexOf(flag);
  return i === -1 ? undefined : args[i + 1];
}

// A folder of its own: two benchmarks running at once (other sessions, helpers) must not share one.
const work = mkdtempSync(join(tmpdir(), 'chronicle-compare-'));
mkdirSync(work, { recursive: true });
const cacheDir = join(work, 'cache');
const files = {};
for (const n of [1_000, 10_000, ...(skipLarge ? [] : [100_000])]) {
  files[n] = join(work, `events-${n}.yaml`);
  writeFileSync(files[n], generateEventsFile({ events: n }));
}

const cold = { CHRONICLE_CACHE: 'off' };
const warm = { CHRONICLE_CACHE_DIR: cacheDir };
const chronicleBuild = (n, env, out = `out-${n}`) => ({
  argv: [node, bin, 'build', files[n], '-o', join(work, out), '--no-newsletter', '--quiet'],
  env,
});
const eleventy = (n) => ({ argv: [node, join(root, 'bench/peers/eleventy/build.js'), files[n], join(work, `eleventy-${n}`)] });
const floor = (n) => ({ argv: [node, join(root, 'bench/peers/floor.js'), files[n], join(work, `floor-${n}.html`)] });
let added = 0;
/** One more event through `chronicle add` (not timed): what a rebuild after an edit starts from. */
const addOne = (n) => () =>
  run({
    argv: [node, bin, 'add', files[n], '--date', '2029-12-30', '--title', `Compare event ${++added}`, '--tag', 'models', '--quiet'],
    env: warm,
  });

const groups = [
  { name: 'cold build, 1,000 events', peers: { chronicle: chronicleBuild(1_000, cold), eleventy: eleventy(1_000), floor: floor(1_000) } },
  {
    name: 'cold build, 10,000 events',
    peers: { chronicle: chronicleBuild(10_000, cold), eleventy: eleventy(10_000), floor: floor(10_000) },
  },
  {
    name: 'rebuild after one add, 10,000 events',
    // chronicle's cache is warmed once; before each timed build one event is appended. Eleventy and
    // the floor rebuild the same file in full.
    warmup: () => run(chronicleBuild(10_000, warm, 'out-10k-warm')),
    peers: {
      chronicle: { ...chronicleBuild(10_000, warm, 'out-10k-warm'), before: addOne(10_000) },
      eleventy: eleventy(10_000),
      floor: floor(10_000),
    },
  },
  ...(skipLarge
    ? []
    : [
        {
          name: 'cold build, 100,000 events',
          runs: 3,
          peers: { chronicle: chronicleBuild(100_000, cold), eleventy: eleventy(100_000), floor: floor(100_000) },
        },
      ]),
].filter((g) => !only || g.name.includes(only));

const rows = [];
for (const group of groups) {
  group.warmup?.();
  const samples = Object.fromEntries(Object.keys(group.peers).map((k) => [k, []]));
  for (let i = 0; i < (group.runs ?? runs); i++) {
    for (const [peer, spec] of Object.entries(group.peers)) {
      spec.before?.();
      samples[peer].push(run(spec));
    }
  }
  const eleventyMedian = median(samples.eleventy.map((s) => s.seconds));
  const eleventyCpu = median(samples.eleventy.map((s) => s.cpu ?? Number.NaN));
  for (const [peer, list] of Object.entries(samples)) {
    const m = median(list.map((s) => s.seconds));
    const cpu = median(list.map((s) => s.cpu ?? Number.NaN));
    const peak = Math.max(...list.map((s) => s.maxMb ?? 0));
    rows.push([
      group.name,
      peer,
      list.length,
      m.toFixed(3),
      `${(m / eleventyMedian).toFixed(2)}×`,
      cpu.toFixed(3),
      `${(cpu / eleventyCpu).toFixed(2)}×`,
      peak ? String(peak) : 'n/a',
    ]);
  }
}
if (!only || 'serve'.includes(only) || only.includes('serve')) {
  const latencies = await serveLatency(files[10_000], runs);
  rows.push([
    'serve: save → reload event, 10,000 events',
    'chronicle',
    latencies.length,
    median(latencies).toFixed(3),
    '(≤ 0.200 s)',
    '',
    '',
    '',
  ]);
}
printTable(['case', 'peer', 'runs', 'wall s', 'vs Eleventy', 'CPU s', 'vs Eleventy', 'peak MB'], rows);
console.log(`\nnode ${process.version}; files from bench/generate-events.js; ratios are of medians within this run`);
rmSync(work, { recursive: true, force: true });

function run(spec) {
  const [command, ...rest] = TIME ? [TIME, '-f', '%e %M %U %S', ...spec.argv] : spec.argv;
  const started = process.hrtime.bigint();
  const result = spawnSync(command, rest, {
    cwd: work,
    env: { ...process.env, NO_COLOR: '1', ...spec.env },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${spec.argv.join(' ')} failed (exit ${result.status}):\n${result.stderr}`);
  if (!TIME) return { seconds: elapsed };
  const [wall, kb, user, system] = result.stderr.trim().split('\n').at(-1).split(' ');
  return { seconds: Number(wall) || elapsed, maxMb: Math.round(Number(kb) / 1024), cpu: Number(user) + Number(system) };
}

/** Seconds from appending an event to the file to the reload event on the preview's event stream. */
async function serveLatency(file, count) {
  const child = spawn(node, [bin, 'serve', file, '--port', '0', '--quiet'], { cwd: work, env: { ...process.env, NO_COLOR: '1' } });
  const url = await new Promise((resolveUrl, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /on (http:\/\/\S+)/.exec(out);
      if (match) resolveUrl(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  const response = await fetch(new URL('_chronicle/events', url));
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const nextReload = async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      if (decoder.decode(value).includes('event: reload')) return;
    }
  };
  const latencies = [];
  for (let i = 0; i < count + 1; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const started = process.hrtime.bigint();
    const reload = nextReload();
    appendFileSync(file, `  - id: serve-bench-${i}\n    date: 2029-12-3${i % 2}\n    title: Serve benchmark ${i}\n`);
    await reload;
    // The first save also pays for warming the caches: not counted.
    if (i > 0) latencies.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  await reader.cancel();
  child.kill('SIGTERM');
  return latencies;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function printTable(headers, table) {
  const widths = headers.map((h, i) => Math.max(h.length, ...table.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of table) console.log(line(r));
}
