// The period an issue covers: --since/--until, or the calendar week or month that holds "now".
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import { chronicleError } from '../errors.js';
import { parseEventDate, suggestDay } from '../events/dates.js';

dayjs.extend(utc);

export interface IssueWindow {
  since: string;
  until: string;
  period: 'week' | 'month' | 'custom';
  /** For file names: 2025-01, 2025-W05, or 2025-01-06_2025-01-19. */
  key: string;
}

export function issueWindow(now: string, options: { since?: string; until?: string; period?: string }): IssueWindow {
  if (options.since !== undefined || options.until !== undefined) {
    if (options.period !== undefined) throw chronicleError('options-conflict', { options: ['since', 'until'], others: ['period'] });
    if (options.since === undefined || options.until === undefined)
      throw chronicleError('options-go-together', { options: ['since', 'until'], example: '--since 2025-01-01 --until 2025-01-31' });
    const since = day(options.since, 'since');
    const until = day(options.until, 'until');
    if (until < since) throw chronicleError('period-reversed', { since, until });
    return { since, until, period: 'custom', key: `${since}_${until}` };
  }
  const period = options.period ?? 'month';
  const today = dayjs.utc(now);
  if (period === 'month') {
    return {
      since: today.startOf('month').format('YYYY-MM-DD'),
      until: today.endOf('month').format('YYYY-MM-DD'),
      period,
      key: today.format('YYYY-MM'),
    };
  }
  if (period === 'week') {
    // ISO weeks: Monday to Sunday.
    const monday = today.subtract((today.day() + 6) % 7, 'day');
    const thursday = monday.add(3, 'day');
    const week = Math.ceil((thursday.diff(dayjs.utc(`${thursday.year()}-01-01`), 'day') + 1) / 7);
    return {
      since: monday.format('YYYY-MM-DD'),
      until: monday.add(6, 'day').format('YYYY-MM-DD'),
      period,
      key: `${thursday.year()}-W${String(week).padStart(2, '0')}`,
    };
  }
  throw chronicleError('invalid-period', { value: period });
}

function day(value: string, option: 'since' | 'until'): string {
  const parsed = parseEventDate(value);
  if (!parsed.ok || parsed.date.precision !== 'day' || parsed.date.end) {
    const suggestion = suggestDay(value);
    throw chronicleError('option-not-a-day', {
      option,
      value,
      example: option === 'since' ? '2025-01-01' : '2025-01-31',
      ...(suggestion ? { suggestion } : {}),
    });
  }
  return parsed.date.lower;
}
