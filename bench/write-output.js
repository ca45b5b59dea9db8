// `node bench/write-output.js [--runs 16]`: the write step of a build alone, the way a rebuild after one
// add meets it (an output folder holding the last build's files of the same sizes: 28 year pages,
// the index, search.json, timeline.json and the feeds of a 10,000-event site, 23 MB in 33 files):
// io/output.ts's staging folder renamed over the old files, against writing into the files the last
// build replaced (its spare, kept with the cache on). Runs alternate; medians and their ratio.
// Not part of `npm test`: the machine is shared, so only the ratio within one run means anything.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { writeOutput } = await import(join(root, 'dist', 'io', 'output.js'));
const args = process.argv.slice(2);
const runs = Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : 16);

const work = mkdtempSync(join(tmpdir(), 'chronicle-write-'));
const sizes = [...Array(28).fill(378_000), 737_000, 4_900_000, 7_450_000, 182_000, 105_000];
/** Each run's files differ from the last run's (as after an add, every page's frame changes). */
const files = (run) =>
  new Map(sizes.map((size, i) => [`file-${i}.html`, [Buffer.alloc(size - 64, 97 + ((i + run) % 26)), 'x'.repeat(64)]]));
const times = { rename: [], spare: [] };
try {
  for (let run = 0; run < runs; run++) {
    for (const way of run % 2 ? ['rename', 'spare'] : ['spare', 'rename']) {
      const start = performance.now();
      await writeOutput(join(work, way, 'out'), files(run), undefined, way === 'spare' ? { spare: join(work, 'spare') } : {});
      times[way].push(performance.now() - start);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1];
for (const [way, list] of Object.entries(times))
  console.log(`${way.padEnd(6)} median ${median(list).toFixed(1)} ms (${list.map((t) => t.toFixed(0)).join(' ')})`);
console.log(`spare / rename: ${(median(times.spare) / median(times.rename)).toFixed(2)}x`);
