// A large events file is built (and checked) in a worker thread with a roomier young generation
// (src/commands/roomy.ts). The worker must change nothing a user sees: the same files byte for byte,
// the same output, the same exit code and located problems, nothing written when the data is bad.
// CHRONICLE_LARGE_FILE_MB=0 sends every file to the worker; Node's own NODE_DEBUG=worker log shows
// that one was made, and with which limits.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOMY_YOUNG_GENERATION_MB, runInRoomyWorker } from '../../src/commands/roomy.js';
import { BIN, ROOT, runBinary, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
const WORKER = { CHRONICLE_LARGE_FILE_MB: '0', NODE_DEBUG: 'worker' };
const HERE = { CHRONICLE_LARGE_FILE_MB: 'off', NODE_DEBUG: 'worker' };

function files(dir: string): Map<string, Buffer> {
  const names = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(names.map((e) => [join(e.parentPath, e.name).slice(dir.length), readFileSync(join(e.parentPath, e.name))]));
}

const madeWorker = (stderr: string) => stderr.includes(`maxYoungGenerationSizeMb: ${ROOMY_YOUNG_GENERATION_MB}`);
/** stderr without Node's worker log (what a user sees). */
const userErrors = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => !/^WORKER \d+|^ {2}(argv|resourceLimits|workerData):|^\} isInternal/.test(line))
    .join('\n');

describe('a large file in the roomy worker', () => {
  it('builds the same files, prints the same lines and exits the same', { timeout: 120_000 }, () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const there = runBinary(['build', '-o', 'worker', '--now', '2025-01-31'], { cwd: dir, env: WORKER });
    const here = runBinary(['build', '-o', 'here', '--now', '2025-01-31'], { cwd: dir, env: HERE });
    expect(madeWorker(there.stderr)).toBe(true);
    expect(madeWorker(here.stderr)).toBe(false);
    expect(there.code).toBe(0);
    expect(here.code).toBe(0);
    expect(there.stdout.replaceAll('worker', 'here')).toBe(here.stdout);
    const built = files(join(dir, 'worker'));
    expect(built.size).toBeGreaterThan(5);
    expect(built).toEqual(files(join(dir, 'here')));
  });

  it('reports bad data with its line and column, exits 1 and writes nothing', { timeout: 120_000 }, () => {
    const bad = SEED.replace(/date: 2025-01-20/, 'date: 2025-02-30');
    expect(bad).not.toBe(SEED);
    const dir = tempDir({ 'events.yaml': bad });
    const there = runBinary(['build', '-o', 'out'], { cwd: dir, env: WORKER });
    const here = runBinary(['build', '-o', 'out'], { cwd: dir, env: HERE });
    expect(madeWorker(there.stderr)).toBe(true);
    expect(there.code).toBe(1);
    expect(userErrors(there.stderr)).toBe(userErrors(here.stderr));
    expect(userErrors(there.stderr)).toMatch(/events\.yaml:\d+:\d+/);
    expect(readdirSync(dir)).toEqual(['events.yaml']);
  });

  it('checks the same', { timeout: 120_000 }, () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const there = runBinary(['check', '--now', '2025-01-31'], { cwd: dir, env: WORKER });
    const here = runBinary(['check', '--now', '2025-01-31'], { cwd: dir, env: HERE });
    expect(madeWorker(there.stderr)).toBe(true);
    expect([there.code, there.stdout]).toEqual([here.code, here.stdout]);
  });

  it('prints in colour on a terminal, as the process itself does', { timeout: 60_000 }, () => {
    // `script` gives the command a terminal; the worker's own stdout is a pipe to the process.
    const bad = SEED.replace(/date: 2025-01-20/, 'date: 2025-02-30');
    const dir = tempDir({ 'events.yaml': bad });
    const inTerminal = (largeFrom: string) => {
      const command = `CHRONICLE_LARGE_FILE_MB=${largeFrom} ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} check`;
      const result = spawnSync('script', ['-qec', command, '/dev/null'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '', TERM: 'xterm' },
      });
      return result.stdout;
    };
    const here = inTerminal('off');
    expect(here).toContain('\u001b[');
    expect(inTerminal('0')).toBe(here);
  });

  it('small files stay in the process (the default threshold)', { timeout: 60_000 }, () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const result = runBinary(['check'], { cwd: dir, env: { NODE_DEBUG: 'worker' } });
    expect(result.code).toBe(0);
    expect(madeWorker(result.stderr)).toBe(false);
  });

  it("gives the worker's heap a young generation larger than V8's default", { timeout: 60_000 }, async () => {
    // The script keeps millions of small objects and writes how large new space grew: V8's default
    // young generation stops at 32 MB of new space (two 16 MB semi-spaces).
    const dir = tempDir({
      'grow.mjs': `import v8 from 'node:v8'; import { writeFileSync } from 'node:fs';
const keep = []; for (let i = 0; i < 2e6; i++) keep.push({ i, s: 'x' + i });
const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
writeFileSync(process.argv[2], String(space.space_size));`,
    });
    const report = join(dir, 'new-space.txt');
    expect(await runInRoomyWorker(join(dir, 'grow.mjs'), [report])).toBe(0);
    expect(Number(readFileSync(report, 'utf8'))).toBeGreaterThan(32 * 1024 * 1024);
  });
});
