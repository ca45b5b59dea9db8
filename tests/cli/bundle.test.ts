// dist/bin.cjs runs the CLI from one bundled file (bundle.mjs) with V8's code cache. Bundled, every module's
// URL is the bundle's, so a path taken from a module's own URL would point elsewhere and fail quietly
// (a fingerprint of the wrong folder, templates compiled again): these runs prove it finds its files.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runBinary, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
const HOOK = join(ROOT, 'tests/support/trace-missing.cjs');

/** The paths under the package root (outside node_modules) that `node args` looked for and did not find. */
function missing(dir: string, args: string[], env: Record<string, string> = {}): { code: number; paths: string[]; stderr: string } {
  const trace = join(dir, `missing-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(trace, '');
  const result = spawnSync(process.execPath, args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      CHRONICLE_CACHE: 'off',
      ...env,
      TRACE_MISSING_FILE: trace,
      TRACE_MISSING_ROOT: `${ROOT}/`,
      NODE_OPTIONS: `--require ${HOOK}`,
    },
  });
  return { code: result.status ?? -1, paths: [...new Set(readFileSync(trace, 'utf8').split('\n').filter(Boolean))], stderr: result.stderr };
}

describe('the bundled CLI', () => {
  it('is what dist/bin.cjs runs, with a code cache this Node accepts', () => {
    const probe = `const { loadBundle } = await import(${JSON.stringify(join(ROOT, 'dist/code-cache.cjs'))});
      const loaded = loadBundle(${JSON.stringify(join(ROOT, 'dist/chronicle.cjs'))});
      console.log(JSON.stringify({ cacheUsed: loaded.cacheUsed, runCli: typeof loaded.exports.runCli }));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(JSON.parse(result.stdout)).toEqual({ cacheUsed: true, runCli: 'function' });
    expect(readFileSync(BIN, 'utf8')).toContain('chronicle.cjs');
  });

  it('finds every file of its own it looks for: templates, compiled templates, the code it fingerprints', { timeout: 120_000 }, () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const cached = { CHRONICLE_CACHE_DIR: join(dir, 'cache') };
    const runs: [string[], Record<string, string>][] = [
      [['build', '--quiet'], {}],
      [['build', '--quiet', '--locale', 'fr'], cached],
      [['build', '--quiet'], cached],
      [['check'], cached],
      [['newsletter', '--quiet', '--allow-empty'], {}],
      [['--help'], {}],
    ];
    for (const [argv, env] of runs) {
      const { code, paths, stderr } = missing(dir, [BIN, ...argv], env);
      expect({ argv, code, paths }, stderr).toEqual({ argv, code: 0, paths: [] });
    }
    // The trace sees a miss when there is one.
    expect(
      missing(dir, ['-e', `try { require('fs').readFileSync(${JSON.stringify(join(ROOT, 'dist/no-such-file'))}) } catch {}`]).paths,
    ).toEqual([join(ROOT, 'dist/no-such-file')]);
  });

  it('loads neither child_process nor net for a quiet build (commander is bundled; no stream of stdin or stdout is made)', () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const trace = join(dir, 'builtins.txt');
    const result = spawnSync(process.execPath, [BIN, 'build', '--quiet', '--no-newsletter'], {
      cwd: dir,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        CHRONICLE_CACHE: 'off',
        TRACE_BUILTINS_FILE: trace,
        NODE_OPTIONS: `--require ${join(ROOT, 'tests/support/trace-builtins.cjs')}`,
      },
    });
    expect(result.status).toBe(0);
    const builtins = readFileSync(trace, 'utf8').split('\n');
    expect(builtins).toContain('fs');
    expect(builtins.filter((name) => ['child_process', 'net', 'tty', 'commander'].includes(name))).toEqual([]);
  });

  it('builds the same bytes as the modules tsc wrote, run one by one', { timeout: 120_000 }, () => {
    const dir = tempDir({ 'events.yaml': SEED });
    expect(runBinary(['build', '-o', 'bundled', '--quiet'], { cwd: dir }).code).toBe(0);
    const unbundled = spawnSync(process.execPath, ['--input-type=module', '-e', UNBUNDLED, 'build', '-o', 'modules', '--quiet'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CHRONICLE_CACHE: 'off' },
    });
    expect(unbundled.status, unbundled.stderr).toBe(0);
    const names = readdirSync(join(dir, 'bundled'), { recursive: true, encoding: 'utf8' }).sort();
    expect(names).toContain('index.html');
    expect(readdirSync(join(dir, 'modules'), { recursive: true, encoding: 'utf8' }).sort()).toEqual(names);
    for (const name of names.filter((n) => statSync(join(dir, 'bundled', n)).isFile()))
      expect(readFileSync(join(dir, 'bundled', name)).equals(readFileSync(join(dir, 'modules', name))), name).toBe(true);
  });
});

const UNBUNDLED = `const { runCli, processIO } = await import(${JSON.stringify(join(ROOT, 'dist/cli.js'))});
process.exitCode = await runCli(process.argv.slice(1), processIO());`;
