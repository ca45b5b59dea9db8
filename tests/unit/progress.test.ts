import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countRows, renderProgress } from '../../src/newsletter/progress.js';
import { tempDir } from '../helpers.js';

describe('the progress bar of a recipient list', () => {
  it('draws the share done and the counts', () => {
    expect(renderProgress(0, 10_000, 10)).toBe('[░░░░░░░░░░] 0/10,000 0%');
    expect(renderProgress(4_210, 10_000, 10)).toBe('[████░░░░░░] 4,210/10,000 42%');
    expect(renderProgress(10_000, 10_000, 10)).toBe('[██████████] 10,000/10,000 100%');
  });

  it('counts the rows of a CSV after its header, with or without a final newline', async () => {
    const dir = tempDir({ 'a.csv': 'email\na@x.org\nb@x.org\n', 'b.csv': 'email\na@x.org\nb@x.org' });
    expect(await countRows(join(dir, 'a.csv'))).toBe(2);
    expect(await countRows(join(dir, 'b.csv'))).toBe(2);
  });
});
