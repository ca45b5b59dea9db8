// One digest per list of events per build (a year of the page, the coming-up list, a year's dated
// events in timeline.json): the hash of its events' keys, what every fragment kept per list is keyed
// by (the year's page part, its list sizes, its runs of search.json and timeline.json, its counts).
// A list that did not change has the same digest, so what was kept for it is found without walking
// its events again; only the digest itself reads each event's key, once per build.
import type { TimelineEvent } from '../events/model.js';
import { hashKey } from '../pipeline/fragments.js';

type EventKey = (event: TimelineEvent) => string;

interface Digests {
  byList: WeakMap<readonly TimelineEvent[], string>;
  /** Lists already digested, by their first event: another array holding the same events (a year's
   * dated events cut out of the timeline again) takes its digest after a comparison of identities. */
  byFirst: Map<TimelineEvent, readonly TimelineEvent[]>;
}

/** Per build: eventKey is made once per build (site/build-site.ts), and its keys with it. */
const builds = new WeakMap<EventKey, Digests>();

export function listDigest(events: readonly TimelineEvent[], eventKey: EventKey): string {
  let digests = builds.get(eventKey);
  if (!digests) {
    digests = { byList: new WeakMap(), byFirst: new Map() };
    builds.set(eventKey, digests);
  }
  let digest = digests.byList.get(events);
  if (digest !== undefined) return digest;
  const first = events[0];
  const same = first && digests.byFirst.get(first);
  if (same && sameEvents(same, events)) digest = digests.byList.get(same)!;
  else {
    // hashKey joins with NUL as eventKeys's keys are joined: the digest of the keys in order.
    digest = hashKey(events.map(eventKey).join('\u0000'));
    if (first) digests.byFirst.set(first, events);
  }
  digests.byList.set(events, digest);
  return digest;
}

function sameEvents(a: readonly TimelineEvent[], b: readonly TimelineEvent[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
