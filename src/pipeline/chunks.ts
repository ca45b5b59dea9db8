// Runs of events for outputs kept as a few large fragments (timeline.json's slides, search.json's
// columns): one fragment an event would mean tens of thousands of cache records and hashes per
// build, one for the whole file would be made again on every edit. Where a run ends is decided by
// the events' own keys (content-defined, as rsync and backup tools cut files), not by counting:
// adding or removing an event changes only the run it falls in, and every other run keeps its
// events, hence its key.

/** On average one event in this many ends a run. */
const AVERAGE = 64;
/** A run never grows past this, whatever its keys (keys are hashes, so it is rare). */
const LONGEST = 4 * AVERAGE;

/** `items` cut into runs, in order; `keyOf` gives each item's key: text whose first characters
 * change with what the item is (an event's key starts with the hash of its text). */
export function runsOf<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  for (const item of items) {
    run.push(item);
    if ((mix(keyOf(item)) & (AVERAGE - 1)) === 0 || run.length >= LONGEST) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** At most so many characters of a key decide whether it ends a run: an event's key starts with its
 * item's key (a code prefix, then the hash of the item's text; without an item cache, its JSON,
 * whose first characters hold its id), then a NUL and what it shares with every other event. */
const READ = 80;

/** A 32-bit hash of a key's first part (FNV-1a, then murmur3's finaliser so that the low bits are
 * evenly spread): a fast stand-in for a cryptographic hash, since it only decides where runs end. */
function mix(key: string): number {
  let h = 0x811c9dc5;
  const end = Math.min(key.length, READ);
  for (let i = 0; i < end; i++) {
    const code = key.charCodeAt(i);
    if (code === 0) break;
    h = Math.imul(h ^ code, 0x01000193);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
