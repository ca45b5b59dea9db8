// Which events an iCalendar of upcoming events holds; apart from feeds.ts so the page can ask
// whether there is a calendar to link without loading the iCalendar writer.
import type { Timeline, TimelineEvent } from '../events/model.js';
import { FORWARD_STATUSES } from '../events/schema.js';

/** Events a calendar can hold: a day, not yet past, forward-looking (or called off / moved). */
export function calendarEvents(timeline: Timeline): TimelineEvent[] {
  return timeline.events.filter(
    (e) =>
      e.date?.precision === 'day' &&
      !e.date.end &&
      e.date.lower >= timeline.now &&
      (FORWARD_STATUSES.has(e.status) || e.status === 'cancelled' || e.status === 'postponed'),
  );
}
