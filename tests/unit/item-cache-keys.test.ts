// A save in serve hashes only the items it touched: an item whose text lies in the part the new text
// shares with the last load's (at the start or at the end) takes the key the last load gave it. The
// keys must be those a fresh cache gives the same text, whatever the edits.
import { describe, expect, it, vi } from 'vitest';

const counted = vi.hoisted(() => ({ hashes: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  return {
    ...crypto,
    hash: ((...args: Parameters<typeof crypto.hash>) => {
      counted.hashes++;
      return crypto.hash(...args);
    }) as typeof crypto.hash,
  };
});

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ItemCache, type ItemLayout } from '../../src/events/item-cache.js';
import { loadTimeline } from '../../src/events/load.js';
import { readItemCache, writeItemCache } from '../../src/io/item-cache-file.js';
import { asBuilt, tempDir } from '../helpers.js';

const item = (n: number, title: string) =>
  `  - id: e${n}\n    date: 2024-01-${String((n % 28) + 1).padStart(2, '0')}\n    title: ${title}\n`;
const fileOf = (items: string[]) => `title: Keys\nas_of: 2025-01-01\nevents:\n${items.join('')}`;

function keys(cache: ItemCache, text: string): (string | undefined)[] {
  loadTimeline(text, { items: cache, locateWarnings: false });
  return Array.from({ length: cache.count }, (_, i) => cache.keyOf(i));
}

describe('item keys across loads', () => {
  it('an append hashes the new item and the one it follows, not the others', () => {
    const cache = new ItemCache('test');
    const items = Array.from({ length: 50 }, (_, i) => item(i, `Event ${i}`));
    counted.hashes = 0;
    keys(cache, fileOf(items));
    expect(counted.hashes).toBeGreaterThanOrEqual(50);
    counted.hashes = 0;
    const after = keys(cache, fileOf([...items, item(50, 'Appended')]));
    expect(after).toHaveLength(51);
    expect(counted.hashes).toBeLessThanOrEqual(2);
    expect(after).toEqual(keys(new ItemCache('test'), fileOf([...items, item(50, 'Appended')])));
  });

  it('random edits give the keys a fresh cache gives', () => {
    const titles = fc.constantFrom('A', 'B', 'Same', 'Same', 'a longer title');
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(fc.nat(9), titles), { maxLength: 8 }), { minLength: 1, maxLength: 6 }), (loads) => {
        const cache = new ItemCache('test');
        for (const load of loads) {
          // Duplicate ids make an error load: its keys must still be right for the next one.
          const text = fileOf(load.map(([n, title]) => item(n, title)));
          const mine = keys(cache, text);
          const fresh = keys(new ItemCache('test'), text);
          expect(mine).toEqual(fresh);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('checks the characters of the changed part, and of the pairs that straddle its edges', () => {
    const base = [item(1, 'One'), item(2, 'Two \u{1F600} smile'), item(3, 'Three')];
    const edits = [
      // A raw control character (the reader refuses it; js-yaml reports it).
      [...base, item(4, 'ring \u0007 bell')],
      // The low half of a surrogate pair removed: a lone high surrogate just before the changed part.
      [base[0]!, item(2, 'Two \ud83d smile'), base[2]!],
      // The high half removed: a lone low surrogate just after it.
      [base[0]!, item(2, 'Two \ude00 smile'), base[2]!],
      // A CR whose LF was removed, the LF being where the changed part starts (a line break to js-yaml).
      [base[0]!, item(2, 'Two\r').replace('\r\n', '\r'), base[2]!],
    ];
    for (const [n, edit] of edits.entries()) {
      const cache = new ItemCache('test', [], { keepEvents: true });
      const before = fileOf(base);
      expect(asBuilt(loadTimeline(before, { items: cache }))).toStrictEqual(loadTimeline(before));
      const after = fileOf(edit);
      const fresh = loadTimeline(after);
      if (n < 3) expect(fresh.timeline).toBeUndefined();
      expect(asBuilt(loadTimeline(after, { items: cache }))).toStrictEqual(fresh);
    }
  });

  it('takes the unchanged items of a big file without reading, hashing or building them again', () => {
    const cache = new ItemCache('test', [], { keepEvents: true });
    const items = Array.from({ length: 300 }, (_, i) => item(i, `Event ${i}`));
    const first = loadTimeline(fileOf(items), { items: cache, locateWarnings: false });
    counted.hashes = 0;
    // An edit in the middle: the items before it and after it (shifted) are the same items.
    const edited = [...items];
    edited[150] = item(150, 'Edited in the middle, longer than before');
    const text = fileOf(edited);
    const second = loadTimeline(text, { items: cache, locateWarnings: false });
    expect(counted.hashes).toBeLessThanOrEqual(1);
    expect(asBuilt(second)).toStrictEqual(loadTimeline(text, { locateWarnings: false }));
    // The events of unchanged items are the very objects built before; the edited one is new.
    const byId = (result: typeof first, id: string) => result.timeline!.events.find((e) => e.id === id);
    expect(byId(second, 'e10')).toBe(byId(first, 'e10'));
    expect(byId(second, 'e290')).toBe(byId(first, 'e290'));
    expect(byId(second, 'e150')).not.toBe(byId(first, 'e150'));
  });

  it('a build after an add, through the cache file, hashes the new item and the blocks of the text', async () => {
    const dir = tempDir();
    const block = 64;
    const items = Array.from({ length: 200 }, (_, i) => item(i, `Event ${i}`));
    const before = await readItemCache(dir, 'keys', { block });
    loadTimeline(fileOf(items), { items: before, locateWarnings: false });
    await writeItemCache(dir, 'keys', before);
    const after = await readItemCache(dir, 'keys', { block });
    const text = fileOf([...items, item(200, 'Added')]);
    counted.hashes = 0;
    expect(asBuilt(loadTimeline(text, { items: after, locateWarnings: false }))).toStrictEqual(
      loadTimeline(text, { locateWarnings: false }),
    );
    // The file keeps hashes of the last text's blocks, not the text: those up to the change are
    // hashed again (and the last one from the end), then the new item and the one or two items of
    // the block the change falls in. None of the 199 items before it.
    const blocks = Math.ceil(text.length / block) + 1;
    expect(counted.hashes).toBeLessThanOrEqual(blocks + 3);
    expect(after.reused(0) && after.reused(199) && !after.reused(200)).toBe(true);
  });

  it('a load without lint (serve) gives the same timeline and no warnings', () => {
    const text = fileOf([item(1, 'Past'), '  - id: later\n    date: 2030-01-01\n    title: In the future yet happened\n']);
    const linted = loadTimeline(text, { locateWarnings: false });
    expect(linted.warningCount).toBeGreaterThan(0);
    const unlinted = loadTimeline(text, { lint: false });
    expect(unlinted.problems).toEqual([]);
    expect(unlinted.warningCount).toBeUndefined();
    expect(asBuilt(unlinted.timeline)).toStrictEqual(linted.timeline);
  });
});

describe('the shared start and end of two texts, from the block hashes of the first', () => {
  const sha = (text: string) => createHash('sha256').update(text).digest('base64url');
  /** A layout as a file holds it: where the text's blocks end and their hashes (a first build cuts
   * them every `block` characters; later ones keep those it found unchanged: see `shared`). */
  function layoutOf(text: string, block: number): ItemLayout {
    const ends: number[] = [];
    const hashes: string[] = [];
    for (let at = 0; at < text.length; at += block) {
      ends.push(Math.min(text.length, at + block));
      hashes.push(sha(text.slice(at, at + block)));
    }
    return { length: text.length, ends, hashes, clean: true, starts: [], stops: [], seens: [], keys: [] };
  }
  /** The shared start and end a cache finds for `after` from `layout`, and the blocks of `after` it
   * would write; these must be a true record of `after`: blocks that cut it, each the hash of its text
   * and of at most `block` characters. */
  function shared(layout: ItemLayout, after: string, block: number) {
    const cache = new ItemCache('test', [], { block });
    cache.restore(layout);
    cache.begin();
    cache.unchecked(after);
    const blocks = cache.blocks()!;
    let start = 0;
    blocks.ends.forEach((end, i) => {
      expect(end - start).toBeGreaterThan(0);
      expect(end - start).toBeLessThanOrEqual(block);
      expect(blocks.hashes[i]).toBe(sha(after.slice(start, end)));
      start = end;
    });
    expect(start).toBe(after.length);
    const next: ItemLayout = { length: after.length, ...blocks, clean: true, starts: [], stops: [], seens: [], keys: [] };
    return { shared: cache.shared, sameText: cache.sameText, next };
  }
  const edit = (text: string, at: number, removed: number, inserted: string) => {
    const cut = at % (text.length + 1);
    return text.slice(0, cut) + inserted + text.slice(cut + removed);
  };
  const edits = fc.tuple(fc.nat(), fc.nat(20), fc.string({ unit: fc.constantFrom('a', 'b', '\n'), maxLength: 20 }));
  const common = (a: string, b: string, fromEnd: boolean) => {
    let n = 0;
    const most = Math.min(a.length, b.length);
    while (n < most && (fromEnd ? a[a.length - 1 - n] === b[b.length - 1 - n] : a[n] === b[n])) n++;
    return n;
  };

  it('never claims more than the texts share, and misses less than a block', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '\n', 'é'), maxLength: 300 }),
        fc.array(edits, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 40 }),
        (first, changes, block) => {
          // A chain of loads: each compared with the layout the one before it would write.
          let before = first;
          let layout = layoutOf(first, block);
          for (const [at, removed, inserted] of changes) {
            const after = edit(before, at, removed, inserted);
            const found = shared(layout, after, block);
            const [prefix, suffix] = found.shared;
            const truePrefix = common(before, after, false);
            const trueSuffix = common(before, after, true);
            expect(prefix).toBeLessThanOrEqual(truePrefix);
            expect(suffix).toBeLessThanOrEqual(trueSuffix);
            // A whole block of the shared part is never missed (but where the texts are equal).
            expect(prefix).toBeGreaterThan(truePrefix - block);
            expect(suffix).toBeGreaterThan(trueSuffix - block);
            if (before === after) expect([prefix, suffix]).toEqual([after.length, after.length]);
            expect(found.sameText).toBe(before === after);
            before = after;
            layout = found.next;
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
