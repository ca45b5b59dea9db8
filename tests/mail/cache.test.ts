// The compiled issue is cached by the hash of its MJML: a rerun whose issue did not change does not
// load MJML (the import trace proves it); the output is byte-identical; garbage in the cache is a miss;
// --no-cache and CHRONICLE_CACHE=off compile again (issues 10 and 12).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runBinary, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
// ES modules and require() alike: the bundled CLI (dist/chronicle.cjs) requires its libraries.
const TRACER = `--require ${join(ROOT, 'tests/support/trace-requires.cjs')} --import ${join(ROOT, 'tests/support/trace-imports.mjs')}`;

function newsletterRun(dir: string, cache: string, extra: string[] = [], env: Record<string, string> = {}) {
  const trace = join(dir, `imports-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(trace, '');
  const result = runBinary(['newsletter', ...extra], {
    cwd: dir,
    env: { CHRONICLE_CACHE: 'on', CHRONICLE_CACHE_DIR: cache, TRACE_IMPORTS_FILE: trace, NODE_OPTIONS: TRACER, ...env },
  });
  expect(result.code).toBe(0);
  return {
    loadedMjml: readFileSync(trace, 'utf8').includes('/node_modules/mjml'),
    eml: readFileSync(join(dir, 'out', 'newsletter', '2025-01.eml')),
  };
}

describe('the compiled-issue cache', () => {
  it('a rerun of an unchanged issue does not load mjml, and writes the same bytes', { timeout: 240_000 }, () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const cache = join(dir, 'cache');
    const first = newsletterRun(dir, cache);
    expect(first.loadedMjml).toBe(true);
    expect(readdirSync(join(cache, 'mjml')).filter((n) => n.endsWith('.json'))).toHaveLength(1);
    const second = newsletterRun(dir, cache);
    expect(second.loadedMjml).toBe(false);
    expect(second.eml.equals(first.eml)).toBe(true);
    // A changed issue compiles again.
    writeFileSync(join(dir, 'events.yaml'), SEED.replace('DeepSeek releases R1', 'DeepSeek releases R1 (edited)'));
    expect(newsletterRun(dir, cache).loadedMjml).toBe(true);
  });

  it('honours --no-cache and CHRONICLE_CACHE=off, and ignores a garbage entry', { timeout: 240_000 }, () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const cache = join(dir, 'cache');
    const first = newsletterRun(dir, cache);
    expect(newsletterRun(dir, cache, ['--no-cache']).loadedMjml).toBe(true);
    expect(newsletterRun(dir, cache, [], { CHRONICLE_CACHE: 'off' }).loadedMjml).toBe(true);
    for (const name of readdirSync(join(cache, 'mjml'))) writeFileSync(join(cache, 'mjml', name), '{"html": 42');
    const garbage = newsletterRun(dir, cache);
    expect(garbage.loadedMjml).toBe(true);
    expect(garbage.eml.equals(first.eml)).toBe(true);
  });
});
