// `node bench/big-file.js`: `chronicle check` on a 50 MB file with one bad date at its very end.
// Moved out of `npm test` (it took 26 s there): the behaviour (a located problem at the end of a big
// file, exit 1, no crash) is tested on a smaller file in tests/cli/check.test.ts; this measures the
// time and shows it still holds at 50 MB (7-digit line numbers, no stack or memory overflow).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateEventsFile } from './generate-events.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.cjs');
const work = mkdtempSync(join(tmpdir(), 'chronicle-bench-big-'));
try {
  const text = generateEventsFile({ events: 66_000 });
  const broken = `${text}  - id: broken\n    date: 2025-02-30\n    title: Broken\n    sources: [{ publisher: P }]\n`;
  writeFileSync(join(work, 'big.yaml'), broken);
  const started = performance.now();
  const result = spawnSync(process.execPath, [bin, 'check', 'big.yaml'], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CHRONICLE_CACHE: 'off' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const located = /big\.yaml:\d{7}:11 {2}events\[66000\]\.date {2}"2025-02-30" is not a date/.test(result.stdout);
  const ok = result.status === 1 && located && /big\.yaml: 1 error\n$/.test(result.stdout);
  console.log(
    `check of a ${(broken.length / 1e6).toFixed(0)} MB file: exit ${result.status}, ${located ? 'located' : 'NOT located'}, ${seconds} s`,
  );
  if (!ok) {
    console.error(result.stderr.slice(0, 2000));
    process.exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
