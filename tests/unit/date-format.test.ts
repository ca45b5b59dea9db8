// Days written by the hand formatter (src/render/date-format.ts) must be what dayjs writes: random
// days, every locale file's patterns and random patterns of calendar tokens, literal text and
// [brackets], in every locale chronicle ships.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatEventDate, parseEventDate } from '../../src/events/dates.js';
import { dayFormatter } from '../../src/render/date-format.js';
import { loadLocale } from '../../src/render/locales.js';
import { ROOT } from '../helpers.js';

dayjs.extend(utc);

const LOCALES = readdirSync(join(ROOT, 'templates/locales'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));
const PATTERNS = LOCALES.flatMap((code) => {
  const { dates } = JSON.parse(readFileSync(join(ROOT, 'templates/locales', `${code}.json`), 'utf8'));
  return [dates.day, dates.month, dates.year] as string[];
});

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const daysIn = (y: number, m: number) =>
  m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
const day = fc
  .tuple(fc.integer({ min: 100, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
  .map(([y, m, d]) => [y, m, Math.min(d, daysIn(y, m))] as const);
const pattern = fc.oneof(
  fc.constantFrom(...PATTERNS),
  fc
    .array(fc.constantFrom('YYYY', 'YY', 'M', 'MM', 'MMM', 'MMMM', 'D', 'DD', ' ', '. ', ', ', '/', '-', '[de]', '[at D]', 'é', '年'), {
      minLength: 1,
      maxLength: 6,
    })
    .map((parts) => parts.join('')),
);

describe('days formatted without dayjs', () => {
  it('write what dayjs writes, for random days, patterns and every shipped locale', async () => {
    for (const code of LOCALES) await loadLocale(code); // registers the dayjs locale, as a build does
    fc.assert(
      fc.property(day, pattern, fc.constantFrom(...LOCALES), ([y, m, d], p, code) => {
        const locale = JSON.parse(readFileSync(join(ROOT, 'templates/locales', `${code}.json`), 'utf8')).dates.dayjs as string;
        const formatter = dayFormatter(p, locale);
        expect(formatter, p).toBeDefined();
        expect(formatter!(y, m, d)).toBe(
          dayjs
            .utc(`${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`)
            .locale(locale)
            .format(p),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('leave to dayjs what is not a calendar day, or a locale it does not know', () => {
    for (const p of ['dddd D MMMM', 'HH:mm', 'D MMMM YYYY Z', 'Y', 'A']) expect(dayFormatter(p, 'en'), p).toBeUndefined();
    expect(dayFormatter('D MMMM YYYY', 'no-such-locale')).toBeUndefined();
  });

  it('write years before 100 as they are (dayjs moved them to 19xx)', async () => {
    const { dates } = await loadLocale('en');
    const parsed = parseEventDate('0050-05-01');
    if (!parsed.ok) throw new Error(parsed.message);
    expect(formatEventDate(parsed.date, dates)).toBe('1 May 0050');
  });
});
