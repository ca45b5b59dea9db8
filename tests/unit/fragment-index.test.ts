// The fragment cache file's side index (src/pipeline/fragment-index.ts): a build finds the records of
// the file's first bytes by it and reads only those appended after; a damaged, stale, foreign or
// forged index is ignored or gives misses, never another fragment's bytes.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyPrefix, writeIndex } from '../../src/pipeline/fragment-index.js';
import { type FragmentCache, hashKey, readFragmentCache, writeFragmentCache } from '../../src/pipeline/fragments.js';
import { removeTempDirs, tempDir } from '../helpers.js';

afterAll(removeTempDirs);

const cacheDir = tempDir();
const keys = Array.from({ length: 300 }, (_, i) => hashKey('fragment', String(i)));
const fragmentOf = (key: string) => `<p>${key} é</p>`.repeat(1 + (key.charCodeAt(0) % 5));
const files = (name: string) => ({
  data: join(cacheDir, 'fragments', `${name}.cache`),
  index: join(cacheDir, 'fragments', `${name}.index`),
});

/** A build that asks for `wanted`: returns the keys it had to render (misses). */
async function build(name: string, wanted: string[]): Promise<{ misses: string[]; cache: FragmentCache }> {
  const cache = await readFragmentCache(cacheDir, name);
  const misses: string[] = [];
  for (const key of wanted) {
    const value = cache.through(key, () => {
      misses.push(key);
      return fragmentOf(key);
    });
    // Never another fragment's bytes, whatever the index said.
    expect(value, key).toBe(fragmentOf(key));
  }
  await writeFragmentCache(cacheDir, name, cache);
  return { misses, cache };
}

describe('the fragment cache index', () => {
  it('finds the indexed records and reads only the appended ones', async () => {
    expect((await build('plain', keys.slice(0, 200))).misses.length).toBe(200);
    const index = readFileSync(files('plain').index);
    // One more fragment is appended; the index still covers the first 200.
    const second = await build('plain', keys.slice(0, 201));
    expect(second.misses).toEqual([keys[200]]);
    expect(second.cache.unindexed).toBeUndefined();
    expect(readFileSync(files('plain').index)).toEqual(index);
    const third = await build('plain', keys.slice(0, 201));
    expect(third.misses).toEqual([]);
    expect(third.cache.unindexed).toBeUndefined();
  });

  it('ignores an index that was damaged, cut, is of another file or of the file before it was written anew', async () => {
    await build('a', keys.slice(0, 100));
    await build('b', keys.slice(100, 200));
    const { data, index } = files('a');
    const good = readFileSync(index);
    const cases: [string, () => void][] = [
      ['a changed table byte', () => writeFileSync(index, Buffer.from(good).fill(7, 200, 201))],
      ['a cut index', () => writeFileSync(index, good.subarray(0, good.length - 4))],
      ['a changed header', () => writeFileSync(index, Buffer.from(good).fill(0x21, 3, 4))],
      ['another file', () => copyFileSync(files('b').index, index)],
      [
        'the file before it was written anew',
        () => {
          writeFileSync(index, good);
          // Its last bytes differ (a record there replaced by another of the same length).
          writeFileSync(data, readFileSync(data).toString('latin1').replace(keys[99]!, keys[299]!), 'latin1');
        },
      ],
    ];
    for (const [what, damage] of cases) {
      await build('a', keys.slice(0, 100));
      damage();
      const read = await readFragmentCache(cacheDir, 'a');
      expect(read.unindexed, what).toBeDefined();
    }
  });

  it('gives misses, never a wrong fragment, for an index that points at the wrong records', async () => {
    await build('forged', keys.slice(0, 100));
    const { data, index } = files('forged');
    const bytes = readFileSync(data);
    const starts = keys.slice(0, 100).map((key) => bytes.indexOf(key));
    // Each key's slot holds the next key's record, or a place inside a value; the sums are right.
    const cases: [string, number[]][] = [
      ['the next record', starts.map((_, i) => starts[(i + 1) % starts.length]!)],
      ['inside a value', starts.map((at) => at + 60)],
      // A file written anew whose last bytes are those the index summed: its first record is another.
      ['a record of the file before', starts],
    ];
    for (const [what, offsets] of cases) {
      writeFileSync(
        index,
        writeIndex(
          offsets,
          keys.slice(0, 100).map((key) => keyPrefix(key)),
          bytes,
        )!,
      );
      if (what === 'a record of the file before') {
        writeFileSync(data, bytes.toString('latin1').replace(keys[0]!, keys[299]!), 'latin1');
        const { misses } = await build('forged', keys.slice(0, 100));
        expect(misses, what).toEqual([keys[0]]);
        continue;
      }
      const { misses, cache } = await build('forged', keys.slice(0, 100));
      expect(cache.unindexed, what).toBeUndefined();
      expect(misses.length, what).toBe(100);
      // The build wrote the file anew (every record replaced) and its index: all hits again.
      expect((await build('forged', keys.slice(0, 100))).misses, what).toEqual([]);
    }
  });

  it('tells apart keys that share the first characters the table is made of', async () => {
    const alike = ['a', 'b', 'c'].map((c) => `AAAAA${c.repeat(38)}`);
    expect((await build('alike', alike)).misses).toEqual(alike);
    const { misses, cache } = await build('alike', alike);
    expect(cache.unindexed).toBeUndefined();
    expect(misses).toEqual([]);
  });

  it('writes an index for a file that has none, and a build reads every record the same with it', async () => {
    await build('late', keys);
    const { index } = files('late');
    writeFileSync(index, '');
    const without = await build('late', keys);
    expect(without.misses).toEqual([]);
    expect(without.cache.unindexed).toBeDefined();
    const withIndex = await build('late', keys);
    expect(withIndex.misses).toEqual([]);
    expect(withIndex.cache.unindexed).toBeUndefined();
  });
});
