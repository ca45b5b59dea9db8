// A stable key for each event of a loaded Timeline, for caches of what is rendered from it
// (pipeline/fragments.ts): the hash of the event's item text and of the loading code (item-cache.ts),
// so a renderer need not serialise each event to know whether it changed. It says nothing of the rest
// of the timeline (entities, related titles, now, locale, templates): a fragment's key adds those.
import { hash } from 'node:crypto';
import type { TimelineEvent } from './model.js';

const keys = new WeakMap<TimelineEvent, string>();

/** The event's key, or undefined when it was not loaded through an item cache (then serialise it). */
export function eventSourceKey(event: TimelineEvent): string | undefined {
  const key = keys.get(event);
  if (key === undefined || !event.image) return key;
  // A local picture's size and content-hashed name come from its file, not from the item's text.
  return hash('sha256', `${key}\u0000${JSON.stringify(event.image)}`, 'base64url');
}

export function setEventSourceKey(event: TimelineEvent, key: string): void {
  keys.set(event, key);
}

/** Whether the event has a key: an event reused from the last load (serve) keeps the one it had,
 * which is the same, since it was built from the same item text by the same cache. */
export function hasEventSourceKey(event: TimelineEvent): boolean {
  return keys.has(event);
}
