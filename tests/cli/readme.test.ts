// The README's "first ten minutes", run as a newcomer would on a fresh clone: every line copied as
// is (with `npx chronicle` meaning this checkout's binary), each exiting 0.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir } from '../helpers.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function firstTenMinutes(): string[] {
  const section = README.slice(README.indexOf('### The first ten minutes'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block.split('\n').filter((line) => line.trim() !== '');
}

describe('the README', () => {
  it('has a first-ten-minutes block that uses the shipped example files', () => {
    const lines = firstTenMinutes();
    expect(lines.length).toBeGreaterThan(4);
    expect(lines.join('\n')).toContain('new-events.example.json');
    expect(lines.join('\n')).toContain('subscribers.example.csv');
  });

  it('runs every line of it, copied as is, on a copy of the repository files', () => {
    const dir = tempDir();
    for (const file of ['events.yaml', 'events.schema.json', 'new-events.example.json', 'subscribers.example.csv']) {
      copyFileSync(join(ROOT, file), join(dir, file));
    }
    const script = ['set -e', 'npx() { shift; node "$CHRONICLE_BIN" "$@"; }', ...firstTenMinutes()].join('\n');
    const result = spawnSync('bash', ['-c', script], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CHRONICLE_BIN: BIN, NO_COLOR: '1', CHRONICLE_CACHE: 'off' },
    });
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('added 2025-01-29-openai-says-deepseek-may-have-used-its-models');
  });
});
