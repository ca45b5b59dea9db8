// What the page's frame needs to know of a list of past events (a year of the page): how many
// carry each tag and actor (the filters' counts) and what the picture of time counts (dated events,
// headlines, the span, events per month). Every page shows these for the whole timeline, so every
// add changes them; but a year that did not change has the same facts, kept between builds by its
// digest (list-digest.ts), and the page adds up some 30 years' facts instead of walking 10,000 events.
import type { TimelineEvent } from '../events/model.js';

export interface ListFacts {
  /** Events per tag and per actor, in the order first met. */
  tags: [string, number][];
  actors: [string, number][];
  /** Dated events, and those of them that are headlines. */
  dated: number;
  headlines: number;
  /** The smallest lower day and the greatest upper day (an open end: now) of the dated events. */
  lo: string;
  hi: string;
  /** Whether the dated events' lower days never go down in the list's order, and every one is a
   * plain `YYYY-MM-DD` (else the picture is counted from the events themselves). */
  sorted: boolean;
  /** Per month with dated events, in order: `YYYY-MM`, events, headlines, claims (headlines
   * apart), and the index in the list of its first event. */
  months: [string, number, number, number, number][];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The facts of a list by one walk over it. */
export function listFacts(events: readonly TimelineEvent[], now: string): ListFacts {
  const tags = new Map<string, number>();
  const actors = new Map<string, number>();
  const months: ListFacts['months'] = [];
  let dated = 0;
  let headlines = 0;
  let lo = '';
  let hi = '';
  let sorted = true;
  let previous = '';
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    for (const key of event.tags) tags.set(key, (tags.get(key) ?? 0) + 1);
    for (const key of event.actors) actors.set(key, (actors.get(key) ?? 0) + 1);
    const date = event.date;
    if (!date) continue;
    const lower = date.lower;
    if (lower < previous || !DAY.test(lower)) sorted = false;
    previous = lower;
    const upper = date.end === 'open' ? now : date.upper;
    if (dated === 0 || lower < lo) lo = lower;
    if (dated === 0 || upper > hi) hi = upper;
    dated++;
    const headline = event.importance === 1;
    if (headline) headlines++;
    const month = lower.slice(0, 7);
    let last = months.at(-1);
    if (!last || last[0] !== month) {
      last = [month, 0, 0, 0, i];
      months.push(last);
    }
    last[1]++;
    if (headline) last[2]++;
    else if (event.certainty === 'claimed' || event.certainty === 'disputed') last[3]++;
  }
  return { tags: [...tags], actors: [...actors], dated, headlines, lo, hi, sorted, months };
}
