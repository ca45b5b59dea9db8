// What a save changed in a list of events, by identity: serve reuses the event objects of unchanged
// items (events/item-cache.ts), so the events a save did not touch are the very same objects at the
// start and at the end of the list. Used to bring per-timeline maps up to date instead of remaking them.

/** How many events at the start and at the end of `events` are those of `old`; undefined when more
 * than half of the events changed (remaking the map is then cheaper than taking off and adding). */
export function unchangedEnds<T>(old: readonly T[], events: readonly T[]): { start: number; end: number } | undefined {
  const most = Math.min(old.length, events.length);
  let start = 0;
  while (start < most && old[start] === events[start]) start++;
  let end = 0;
  while (end < most - start && old[old.length - 1 - end] === events[events.length - 1 - end]) end++;
  return old.length - start - end + (events.length - start - end) <= events.length / 2 ? { start, end } : undefined;
}
