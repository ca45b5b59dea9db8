// Which events an iCalendar of upcoming events holds; apart from feeds.ts so the page can ask
// whether there is a calendar to link without loading the iCalendar writer.
import type { Timeline, TimelineEvent } from '../events/model.js';
import { isCalendarEvent, walkTimeline } from './walk.js';

/** Events a calendar can hold: a day, not yet past, forward-looking (or called off / moved). */
export function calendarEvents(timeline: Timeline): TimelineEvent[] {
  return [...walkTimeline(timeline).calendar];
}

/** Whether the calendar holds any event: the same answer as `calendarEvents(timeline).length > 0`,
 * looking only at the end of the timeline (events are sorted by their lower day, undated last), as
 * the page asks on every save in serve. */
export function hasCalendarEvents(timeline: Timeline): boolean {
  const { events, now } = timeline;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (!e.date) continue;
    if (e.date.lower < now) return false;
    if (isCalendarEvent(e, now)) return true;
  }
  return false;
}
