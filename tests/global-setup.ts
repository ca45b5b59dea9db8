// Once per test run. End-to-end tests run the real binary (dist/bin.cjs): compile it first so they
// never test stale code. Every temporary file of the run (tempDir, Chromium profiles, anything a
// spawned chronicle writes) goes into one folder of its own, through TMPDIR, which the test workers
// and every process they spawn inherit; at the end that folder must hold no chronicle-* folder
// (tempDir removes its own after each test file, see tests/cleanup.ts), and it is removed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  // As `npm run build:ts`: the built-in templates precompiled, as chronicle ships them.
  execFileSync(process.execPath, ['dist/timeline/precompile.js'], { stdio: 'inherit' });
  // and the CLI bundled with its code cache, which dist/bin.cjs runs.
  execFileSync(process.execPath, ['bundle.mjs'], { stdio: 'inherit' });
  const previous = process.env.TMPDIR;
  const runDir = mkdtempSync(join(tmpdir(), 'chronicle-tests-'));
  process.env.TMPDIR = runDir;
  return () => {
    const left = readdirSync(runDir);
    rmSync(runDir, { recursive: true, force: true, maxRetries: 5 });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const leaked = left.filter((name) => name.startsWith('chronicle-'));
    if (leaked.length > 0) {
      // A throw here is only printed (vitest keeps exit 0): set the exit code so the run fails.
      console.error(
        `\nFAIL: the tests left ${leaked.length} chronicle-* temporary folder(s) behind (${leaked.slice(0, 5).join(', ')}): make them with tempDir() from tests/helpers.ts, which removes them\n`,
      );
      process.exitCode = 1;
    }
    const other = left.filter((name) => !name.startsWith('chronicle-'));
    if (other.length > 0) console.warn(`tests left in the temporary folder (now removed): ${other.slice(0, 10).join(', ')}`);
  };
}
