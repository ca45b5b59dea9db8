// Files written from parts (src/io/output.ts): parts are gathered into batches of about 1 MB, each
// written with one writev while the next is made, several files at once. Whatever the parts (text
// of 1-4 byte characters, bytes, up to several MB), each file's bytes are those of Buffer.from on
// each part, joined.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { writeOutput } from '../../src/io/output.js';
import { removeTempDirs, tempDir } from '../helpers.js';

afterAll(removeTempDirs);

/** Text of 1, 2 (é), 3 (€) and 4 bytes a character (😀, a surrogate pair in UTF-16). */
const unit = fc.array(fc.constantFrom('a', 'é', '€', '😀', '<p>'), { minLength: 1, maxLength: 6 }).map((u) => u.join(''));
/** Small parts, and parts of about a slab (1 MiB) or several, in text or in bytes. */
const part = fc.oneof(
  { weight: 4, arbitrary: unit },
  { weight: 2, arbitrary: fc.record({ unit, times: fc.integer({ min: 1, max: 600_000 }) }).map(({ unit, times }) => unit.repeat(times)) },
  fc.record({ unit, times: fc.integer({ min: 0, max: 300_000 }) }).map(({ unit, times }) => Buffer.from(unit.repeat(times))),
);
const files = fc.array(fc.array(part, { maxLength: 12 }), { minLength: 1, maxLength: 6 });

const expected = (parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));

describe('writing a file from parts', () => {
  it('writes the bytes of its parts, whatever their sizes and characters, several files at once', async () => {
    const out = join(tempDir(), 'out');
    await fc.assert(
      fc.asyncProperty(files, async (contents) => {
        // Iterables (not arrays) are written in parts: the path under test.
        const map = new Map(contents.map((parts, i) => [`f${i}.txt`, { [Symbol.iterator]: () => parts[Symbol.iterator]() }]));
        await writeOutput(out, map);
        contents.forEach((parts, i) => {
          expect(readFileSync(join(out, `f${i}.txt`)).equals(expected(parts)), `f${i}.txt`).toBe(true);
        });
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('never cuts a surrogate pair where a piece of a long text ends', async () => {
    const out = join(tempDir(), 'out');
    // Emoji after 0-3 single units: every parity of where a slab-sized piece can end.
    const contents = [0, 1, 2, 3].map((shift) => ['x'.repeat(shift) + '😀'.repeat(900_000), 'é', '😀'.repeat(200_000)]);
    await writeOutput(out, new Map(contents.map((parts, i) => [`s${i}.txt`, { [Symbol.iterator]: () => parts[Symbol.iterator]() }])));
    contents.forEach((parts, i) => {
      const bytes = readFileSync(join(out, `s${i}.txt`));
      expect(bytes.equals(expected(parts))).toBe(true);
      expect(bytes.includes(Buffer.from('\uFFFD'))).toBe(false);
    });
  }, 60_000);
});
