// Runs of events for outputs kept as a few large fragments (timeline.json's slides, search.json's
// columns): one fragment an event would mean tens of thousands of cache records and hashes per
// build, one for the whole file would be made again on every edit. Where a run ends is decided by
// the events' own keys (content-defined, as rsync and backup tools cut files), not by counting:
// adding or removing an event changes only the run it falls in, and every other run keeps its
// events, hence its key.

import type { TimelineEvent } from '../events/model.js';
import { eventSourceKey } from '../events/source-key.js';
import type { FragmentStore } from './fragments.js';

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

/** What decides where an event's run ends: its item's key, the part of its fragment key that is
 * its own, when it has one (a flat string: the fragment key is text joined at build time, which the
 * first read of a character would copy whole), else the fragment key. Where runs end never changes
 * a byte of an output, only how many runs an edit makes again. */
export function cutKey(event: TimelineEvent, eventKey: (event: TimelineEvent) => string): string {
  return eventSourceKey(event) ?? eventKey(event);
}

/** A key's part before its first NUL is an event's own: its item's key (a code prefix, a dot, the
 * hash of the item's text) or the hash of it and its picture, both at most HASHED characters long,
 * whose last TAIL characters are already random; else (no item cache) its JSON, whose first READ
 * characters hold its id. Reading a few characters, not all of them, matters: this runs twice per
 * event per build, in code too cold to be optimised. */
const HASHED = 64;
const TAIL = 4;
const READ = 80;

/** A 32-bit hash of a key's own part (FNV-1a, then murmur3's finaliser so that the low bits are
 * evenly spread): a fast stand-in for a cryptographic hash, since it only decides where runs end. */
function mix(key: string): number {
  let h = 0x811c9dc5;
  const nul = key.indexOf('\u0000');
  const own = nul === -1 ? key.length : nul;
  const from = own <= HASHED ? Math.max(0, own - TAIL) : 0;
  const end = own <= HASHED ? own : Math.min(own, READ);
  for (let i = from; i < end; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A run's fragment: its key, and how to make it when the store does not hold it. */
export interface RunFragment {
  key: string;
  render: () => string;
}

/**
 * The fragments of a list's runs, kept between builds by the list's key (a digest of its events:
 * timeline/list-digest.ts): the list's run keys are a fragment of their own, so a list that did not
 * change is neither walked nor cut again, and its runs are read by their keys. A list whose runs are
 * not all held (a store that dropped some) is cut again, which makes the same keys.
 */
export function keptRuns(store: FragmentStore, listKey: string, cut: () => RunFragment[]): (string | Buffer)[] {
  const index = store.get(listKey);
  if (index !== undefined) {
    const text = typeof index === 'string' ? index : index.toString('latin1');
    const values = text === '' ? [] : text.split(',').map((key) => store.get(key));
    if (values.every((value) => value !== undefined)) return values as (string | Buffer)[];
  }
  const runs = cut();
  const values = runs.map((run) => store.bytes(run.key, run.render));
  // Run keys are hashKey's (base64url: no comma).
  store.bytes(listKey, () => runs.map((run) => run.key).join(','));
  return values;
}
