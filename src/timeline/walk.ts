// One walk over a timeline's events for what several outputs need from every one of them: the
// page's years and coming-up list, timeline.json's stretches of dated events, the calendar's events
// and the events with a picture (og:image). Each output used to walk all the events itself (and
// timeline.json compared each year's stretch with the page's list of that year, event by event).
// Made once per timeline (a loaded timeline's events never change).
import type { Timeline, TimelineEvent } from '../events/model.js';
import { FORWARD_STATUSES } from '../events/schema.js';

export interface TimelineWalk {
  /** Events that the page lists under "Coming up", in order (see isComingUp). */
  comingUp: TimelineEvent[];
  /** The other events by the year their date starts in ('' for undated), in order. */
  byYear: Map<string, TimelineEvent[]>;
  /** Whether the dated events' lower days never go down (a loaded timeline is sorted). */
  datedSorted: boolean;
  /** The dated events in order, cut where the year their date starts in changes (timeline.json). */
  stretches: TimelineEvent[][];
  /** The events of the calendar of upcoming events, in order (see isCalendarEvent). */
  calendar: TimelineEvent[];
  /** Dated events with a picture address, in order (og:image picks among them). */
  pictured: TimelineEvent[];
  /** For each list of byYear: where in it the events with related events are (what a year's
   * links depend on besides its events' data: page.ts yearPlaces). */
  relatedAt: WeakMap<readonly TimelineEvent[], number[]>;
}

/** Events that the page lists under "Coming up": forward-looking and not yet past (or undated). */
export function isComingUp(event: TimelineEvent, now: string): boolean {
  return FORWARD_STATUSES.has(event.status) && (!event.date || event.date.upper >= now);
}

/** Events a calendar can hold: a day, not yet past, forward-looking (or called off / moved). */
export function isCalendarEvent(e: TimelineEvent, now: string): boolean {
  return (
    e.date?.precision === 'day' &&
    !e.date.end &&
    e.date.lower >= now &&
    (FORWARD_STATUSES.has(e.status) || e.status === 'cancelled' || e.status === 'postponed')
  );
}

interface Walked extends TimelineWalk {
  events: readonly TimelineEvent[];
  now: string;
}

const walks = new WeakMap<Timeline, Walked>();

/** The walk of the timeline's events, made on first use (and again should its events or now be
 * other objects than those it was made from). */
export function walkTimeline(timeline: Timeline): TimelineWalk {
  const kept = walks.get(timeline);
  if (kept && kept.events === timeline.events && kept.now === timeline.now) return kept;
  const { events, now } = timeline;
  const walked: Walked = {
    events,
    now,
    comingUp: [],
    byYear: new Map(),
    datedSorted: true,
    stretches: [],
    calendar: [],
    pictured: [],
    relatedAt: new WeakMap(),
  };
  let previous = '';
  let stretch: TimelineEvent[] = [];
  let stretchYear = '';
  // The year's list of the page that every event of the stretch went to, from its start (else
  // undefined): when it ends up holding just those events, the stretch is that very array, whose
  // digest is then found without comparing the two (list-digest.ts).
  let sameList: TimelineEvent[] | undefined;
  const sameLists: (TimelineEvent[] | undefined)[] = [];
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const date = event.date;
    if (date) {
      const lower = date.lower;
      if (lower < previous) walked.datedSorted = false;
      previous = lower;
      // As timeline.json always cut them: where the start's year changes (only its runs' keys depend on it).
      if (stretch.length === 0 || !lower.startsWith(stretchYear)) {
        if (stretch.length > 0) {
          walked.stretches.push(stretch);
          sameLists.push(sameList);
        }
        stretch = [];
        stretchYear = lower.slice(0, 4);
        const list = walked.byYear.get(stretchYear);
        sameList = list === undefined || list.length === 0 ? [] : undefined;
      }
      stretch.push(event);
      if (event.image?.url) walked.pictured.push(event);
      if (isCalendarEvent(event, now)) walked.calendar.push(event);
    }
    if (isComingUp(event, now)) {
      walked.comingUp.push(event);
      if (date) sameList = undefined;
      continue;
    }
    const year = date ? date.lower.slice(0, 4) : '';
    let list = walked.byYear.get(year);
    if (!list) {
      // The stretch's list, when the stretch starts one.
      list = date && sameList?.length === 0 && year === stretchYear ? sameList : [];
      walked.byYear.set(year, list);
      walked.relatedAt.set(list, []);
    }
    if (date && list !== sameList) sameList = undefined;
    if (event.related.length > 0) walked.relatedAt.get(list)!.push(list.length);
    list.push(event);
  }
  if (stretch.length > 0) {
    walked.stretches.push(stretch);
    sameLists.push(sameList);
  }
  for (let k = 0; k < walked.stretches.length; k++) {
    const list = sameLists[k];
    if (list && list.length === walked.stretches[k]!.length) walked.stretches[k] = list;
  }
  walks.set(timeline, walked);
  return walked;
}
