// dist/bin.cjs runs the bundle only when it is at least as new as the modules: after a plain `tsc`
// the bundle would run yesterday's code and stamp the caches with today's code fingerprints.

import { spawnSync } from 'node:child_process';
import { copyFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';

/** A stand-in for the CLI that says which copy of it ran. */
const cli = (name: string) =>
  `exports.runCli = async () => { process.stdout.write(${JSON.stringify(name)}); return 0; };
exports.processIO = () => ({});
exports.internalErrorText = String;\n`;

function ranWith(bundleTime: number, modulesTime: number): string {
  const dir = tempDir({ 'chronicle.cjs': cli('bundle'), 'cli.js': cli('modules') });
  for (const file of ['bin.cjs', 'code-cache.cjs']) copyFileSync(join(ROOT, 'dist', file), join(dir, file));
  utimesSync(join(dir, 'chronicle.cjs'), bundleTime, bundleTime);
  utimesSync(join(dir, 'cli.js'), modulesTime, modulesTime);
  const result = spawnSync(process.execPath, [join(dir, 'bin.cjs')], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return result.stdout;
}

describe('the binary', () => {
  it('runs the bundle when it is as new as the modules or newer', () => {
    expect(ranWith(2_000_000_000, 1_900_000_000)).toBe('bundle');
    expect(ranWith(2_000_000_000, 2_000_000_000)).toBe('bundle');
  });

  it('runs the modules when they are newer than the bundle (a plain tsc after a build)', () => {
    expect(ranWith(1_900_000_000, 2_000_000_000)).toBe('modules');
  });

  it('runs the modules when there is no bundle', () => {
    const dir = tempDir({ 'cli.js': cli('modules') });
    for (const file of ['bin.cjs', 'code-cache.cjs']) copyFileSync(join(ROOT, 'dist', file), join(dir, file));
    expect(spawnSync(process.execPath, [join(dir, 'bin.cjs')], { encoding: 'utf8' }).stdout).toBe('modules');
  });
});
