// The checked reader gives the text the UTF-8 decoder gives, whichever way it decodes (plain ASCII is
// copied as Latin-1, which is the same text for bytes below 0x80).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readEventsFile } from '../../src/io/read-events-file.js';
import { tempDir } from '../helpers.js';

describe('readEventsFile', () => {
  it('reads ASCII and other UTF-8 text as the UTF-8 decoder does', async () => {
    const dir = tempDir();
    const path = join(dir, 'events.yaml');
    const texts = fc.oneof(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme-ascii' }));
    await fc.assert(
      fc.asyncProperty(texts, async (text) => {
        writeFileSync(path, text);
        expect(await readEventsFile(path)).toBe(readFileSync(path, 'utf8'));
      }),
      { numRuns: 300 },
    );
    writeFileSync(path, '\ufefftitle: é\n');
    expect(await readEventsFile(path)).toBe('\ufefftitle: é\n');
  });
});
