// Parsing of flags shared by several commands.
import { chronicleError } from '../errors.js';
import { parseEventDate, suggestDay } from '../events/dates.js';

/** `--now` must be a real day: it decides what is upcoming and what is in the newsletter. */
export function parseNowOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = parseEventDate(value);
  if (!parsed.ok || parsed.date.precision !== 'day' || parsed.date.end || parsed.date.start.qualifier) {
    const suggestion = suggestDay(value);
    throw chronicleError('option-not-a-day', { option: 'now', value, ...(suggestion ? { suggestion } : {}) });
  }
  return parsed.date.lower;
}
