// readWhole: a file's bytes in one read, the same bytes readFile gives, for a regular file of many
// of readFile's 512 KB chunks, an empty one, and a pipe (which has no size to read at once).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWhole } from '../../src/io/read-whole.js';
import { tempDir } from '../helpers.js';

describe('readWhole', () => {
  it('gives the bytes readFile gives', async () => {
    const dir = tempDir();
    const big = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(join(dir, 'big'), big);
    writeFileSync(join(dir, 'empty'), '');
    expect((await readWhole(join(dir, 'big'))).equals(big)).toBe(true);
    expect(await readWhole(join(dir, 'empty'))).toHaveLength(0);
    await expect(readWhole(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    // A file that says it is empty and is not (/proc): read to its end.
    if (existsSync('/proc/self/status')) expect((await readWhole('/proc/self/status')).toString()).toMatch(/^Name:/);
  });

  it('reads a pipe to its end', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const text = 'events:\n'.repeat(100_000);
    const writer = createWriteStream(fifo);
    writer.end(text);
    const read = await readWhole(fifo);
    expect(read.toString()).toBe(text);
  });
});
