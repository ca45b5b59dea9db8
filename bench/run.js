// `npm run bench`: times whole `chronicle` processes on generated files and prints medians.
// Not part of `npm test`: the machine is shared and noisy, so we report medians of several runs
// rather than asserting times. Usage: node bench/run.js [--runs N] [--only NAME] [--skip-large]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

function flagValue(flag) {
  const i = args.indexOf(flag);
  return i === -1 ? undefined : args[i + 1];
}

// A folder of its own: two benchmarks running at once (other sessions, helpers) must not share one.
const work = mkdtempSync(join(tmpdir(), 'chronicle-bench-'));
const cache = join(work, 'cache');

const files = {};
for (const n of [1_000, 10_000, ...(skipLarge ? [] : [100_000])]) {
  files[n] = join(work, `events-${n}.yaml`);
  writeFileSync(files[n], generateEventsFile({ events: n }));
}

const node = process.execPath;
const cold = { CHRONICLE_CACHE: 'off' };
const warm = { CHRONICLE_CACHE_DIR: cache };
const cases = [
  { name: 'node -e 0 (floor)', argv: [node, '-e', '0'] },
  { name: 'chronicle --help', argv: [node, bin, '--help'], target: 'imports no mjml' },
  // For scale: the bare parsers on the same file, as whole processes (no validation, no output).
  { name: 'reference: js-yaml load, 10,000', argv: [node, '--input-type=module', '-e', bareParse('js-yaml', 'load(text)', files[10_000])] },
  {
    name: 'reference: yaml parse, 10,000',
    argv: [node, '--input-type=module', '-e', bareParse('yaml', 'parse(text)', files[10_000])],
    runs: 3,
  },
  { name: 'check 1,000 events', argv: [node, bin, 'check', files[1_000]], env: cold },
  { name: 'check 10,000 events (cold)', argv: [node, bin, 'check', files[10_000]], env: cold, target: '≤ 0.4 s' },
  { name: 'check 10,000 events (cached)', argv: [node, bin, 'check', files[10_000]], env: warm, warmup: true, target: '≤ 0.4 s' },
  ...(skipLarge
    ? []
    : [
        { name: 'check 100,000 events (cold)', argv: [node, bin, 'check', files[100_000]], env: cold, runs: 3, target: '≤ 3 s, ≤ 1.5 GB' },
        {
          name: 'check 100,000 events (cached)',
          argv: [node, bin, 'check', files[100_000]],
          env: warm,
          warmup: true,
          runs: 3,
          target: '≤ 3 s, ≤ 1.5 GB',
        },
      ]),
  {
    name: 'build 1,000 events',
    argv: [node, bin, 'build', files[1_000], '-o', join(work, 'out-1k'), '--no-newsletter'],
    target: '≤ 0.3 s',
  },
  {
    name: 'build 10,000 events',
    argv: [node, bin, 'build', files[10_000], '-o', join(work, 'out-10k'), '--no-newsletter'],
    target: '≤ 0.8 s',
  },
  { name: 'build 1,000 events with the issue', argv: [node, bin, 'build', files[1_000], '-o', join(work, 'out-1k-issue')] },
  ...(skipLarge
    ? []
    : [
        {
          name: 'build 100,000 events',
          argv: [node, bin, 'build', files[100_000], '-o', join(work, 'out-100k')],
          runs: 2,
          target: '≤ 1.5 GB',
        },
      ]),
  { name: 'chronicle add --help', argv: [node, bin, 'add', '--help'], target: '≤ 0.15 s' },
  { name: 'add (flags) to 1,000 events', argv: (run) => [node, bin, 'add', files[1_000], ...newEvent(run)], target: '≤ 0.25 s' },
  { name: 'add (flags) to 10,000 events', argv: (run) => [node, bin, 'add', files[10_000], ...newEvent(run)], target: '≤ 0.6 s' },
].filter((c) => !only || c.name.includes(only));

let runCount = 0;
const rows = [];
for (const c of cases) {
  if (c.warmup) measure(c);
  const samples = Array.from({ length: c.runs ?? runs }, () => measure(c));
  const seconds = samples.map((s) => s.seconds).sort((a, b) => a - b);
  const memory = samples.map((s) => s.maxMb).filter((m) => m !== undefined);
  rows.push({
    case: c.name,
    runs: samples.length,
    median: median(seconds).toFixed(3),
    min: seconds[0].toFixed(3),
    max: seconds.at(-1).toFixed(3),
    peakMb: memory.length ? String(Math.max(...memory)) : 'n/a',
    target: c.target ?? '',
  });
}
printTable(rows);
rmSync(work, { recursive: true, force: true });

/** A distinct event per run (the same one twice would be refused as a duplicate). */
function newEvent(run) {
  return [
    '--date',
    '2029-12-30',
    '--title',
    `Benchmark event ${run}`,
    '--actor',
    'deepseek',
    '--tag',
    'models',
    '--source',
    'https://example.org/bench',
  ];
}

function measure(c) {
  const argv = typeof c.argv === 'function' ? c.argv(++runCount) : c.argv;
  const [command, ...rest] = TIME ? [TIME, '-f', '%e %M', ...argv] : argv;
  const started = process.hrtime.bigint();
  const result = spawnSync(command, rest, {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...c.env },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${c.name} failed (exit ${result.status}):\n${result.stderr}`);
  if (!TIME) return { seconds: elapsed };
  const [wall, kb] = result.stderr.trim().split('\n').at(-1).split(' ');
  return { seconds: Number(wall) || elapsed, maxMb: Math.round(Number(kb) / 1024) };
}

function bareParse(module, call, file) {
  const name = call.slice(0, call.indexOf('('));
  return `import { readFileSync } from 'node:fs'; import { ${name} } from '${module}'; const text = readFileSync(${JSON.stringify(file)}, 'utf8'); ${call};`;
}

function median(sorted) {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function printTable(table) {
  const headers = ['case', 'runs', 'median s', 'min s', 'max s', 'peak MB', 'target'];
  const keys = ['case', 'runs', 'median', 'min', 'max', 'peakMb', 'target'];
  const widths = headers.map((h, i) => Math.max(h.length, ...table.map((r) => String(r[keys[i]]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of table) console.log(line(keys.map((k) => r[k])));
  console.log(
    `\nnode ${process.version}, ${TIME ? 'wall and peak RSS from /usr/bin/time' : 'wall time only'}; files from bench/generate-events.js`,
  );
}
