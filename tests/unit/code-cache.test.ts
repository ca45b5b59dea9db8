// The V8 code cache of the bundled CLI (src/code-cache.cts) is a cache of compiled code: it must never run
// code compiled from other text. V8 checks only the text's length, so the cache is keyed by a hash of it.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';

// The built module (the global setup compiles it): CommonJS, which the tests' module runner does not run.
const { codeCacheFile, loadBundle } = createRequire(import.meta.url)(
  join(ROOT, 'dist/code-cache.cjs'),
) as typeof import('../../src/code-cache.cjs');

// Enough functions that V8 has something to cache; `answer` is what a test checks ran.
const source = (word: string) =>
  `'use strict';\n${Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x * ${i} + 1; }`).join('\n')}\n` +
  `exports.answer = () => '${word}' + f49(1) + require('node:path').basename(__filename);\n`;

function bundleWithCache(word: string) {
  const file = join(tempDir(), 'bundle.cjs');
  writeFileSync(file, source(word));
  const first = loadBundle<{ answer: () => string }>(file);
  expect(first.cacheUsed).toBe(false);
  expect(first.exports.answer()).toBe(`${word}50bundle.cjs`);
  first.writeCache();
  return file;
}

describe('the code cache of the bundle', () => {
  it('is used on the next start, and the code runs as without it', () => {
    const file = bundleWithCache('alpha');
    const second = loadBundle<{ answer: () => string }>(file);
    expect(second.cacheUsed).toBe(true);
    expect(second.exports.answer()).toBe('alpha50bundle.cjs');
  });

  it('is not used for other text of the same length (V8 alone would accept it)', () => {
    const file = bundleWithCache('alpha');
    writeFileSync(file, source('gamma'));
    const edited = loadBundle<{ answer: () => string }>(file);
    expect(edited.cacheUsed).toBe(false);
    expect(edited.exports.answer()).toBe('gamma50bundle.cjs');
  });

  it('is not used when damaged (V8 checks no payload in release builds), and the bundle is compiled as usual', () => {
    const file = bundleWithCache('alpha');
    const bytes = readFileSync(codeCacheFile(file));
    for (const at of [100, 200, 300]) bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    writeFileSync(codeCacheFile(file), bytes);
    const damaged = loadBundle<{ answer: () => string }>(file);
    expect(damaged.cacheUsed).toBe(false);
    expect(damaged.exports.answer()).toBe('alpha50bundle.cjs');
    writeFileSync(codeCacheFile(file), bytes.subarray(0, 20));
    expect(loadBundle<{ answer: () => string }>(file).cacheUsed).toBe(false);
  });
});
