import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareEventDates,
  type DateFormats,
  dateTimeAttribute,
  dayDate,
  type EventDate,
  formatEventDate,
  parseEventDate,
} from '../../src/events/dates.js';
import { storedDate } from '../../src/events/stored-event.js';

const EN: DateFormats = {
  dayjs: 'en',
  day: 'D MMMM YYYY',
  month: 'MMMM YYYY',
  year: 'YYYY',
  quarter: 'Q{q} {year}',
  approximate: 'c. {date}',
  uncertain: '{date}?',
  both: 'c. {date}?',
  range: '{start} – {end}',
  present: 'present',
};
const FR: DateFormats = {
  ...EN,
  dayjs: 'fr',
  quarter: 'T{q} {year}',
  approximate: 'vers {date}',
  uncertain: '{date} ?',
  present: "aujourd'hui",
};

function date(text: string | number): EventDate {
  const parsed = parseEventDate(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.message}`);
  return parsed.date;
}

describe('parseEventDate', () => {
  it.each([
    ['2025', 'year', '2025-01-01', '2025-12-31'],
    ['2025-01', 'month', '2025-01-01', '2025-01-31'],
    ['2024-02', 'month', '2024-02-01', '2024-02-29'],
    ['2025-01-20', 'day', '2025-01-20', '2025-01-20'],
    ['2025-Q1', 'quarter', '2025-01-01', '2025-03-31'],
    ['2025-Q4', 'quarter', '2025-10-01', '2025-12-31'],
    ['2025-34', 'quarter', '2025-04-01', '2025-06-30'],
    ['2025~', 'year', '2025-01-01', '2025-12-31'],
    ['2025-01-20/2025-01-27', 'day', '2025-01-20', '2025-01-27'],
    ['2023-07/..', 'month', '2023-07-01', '9999-12-31'],
  ])('reads %s as %s from %s to %s', (text, precision, lower, upper) => {
    const d = date(text);
    expect([d.precision, d.lower, d.upper]).toEqual([precision, lower, upper]);
  });

  it('accepts a bare number as a year', () => {
    expect(date(2015).text).toBe('2015');
  });

  it('normalises the EDTF quarter code to Qn', () => {
    expect(date('2025-33').text).toBe('2025-Q1');
  });

  it.each([
    ['2025-02-30', '"2025-02-30" is not a date', 'February 2025 has 28 days'],
    ['2024-02-30', '"2024-02-30" is not a date', 'February 2024 has 29 days'],
    ['2025-13', '"2025-13" is not a date: there is no month 13', 'months go from 01 to 12'],
    ['2025-Q5', 'there is no quarter 5 in "2025-Q5"', 'quarters are Q1 to Q4'],
    ['Jan 2025', '"Jan 2025" is not a date', 'write YYYY'],
    ['2025-01-20/2024-01-01', '"2025-01-20/2024-01-01" ends before it starts', 'put the earlier date first'],
    ['25-01-20', '"25-01-20" is not a date', 'write YYYY'],
  ])('rejects %s', (text, message, hint) => {
    const parsed = parseEventDate(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toBe(message);
    expect(parsed.hint).toContain(hint);
  });

  it('rejects a year that is not a whole number', () => {
    expect(parseEventDate(2025.5).ok).toBe(false);
  });

  it('reads YYYY-MM-DD by its short path exactly as the general one (which a leading space takes)', () => {
    const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
    const day = fc.oneof(
      fc
        .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
        .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
      fc.tuple(digits(4), digits(2), digits(2)).map(([y, m, d]) => `${y}-${m}-${d}`),
      fc.string({ minLength: 10, maxLength: 10 }),
    );
    fc.assert(
      fc.property(day, (text) => {
        const short = parseEventDate(text);
        const general = parseEventDate(` ${text}`);
        if (general.ok) expect(JSON.stringify(short)).toBe(JSON.stringify(general));
        else expect(short.ok).toBe(false);
      }),
      { numRuns: 5000 },
    );
    for (const text of ['2024-02-29', '2023-02-29', '1900-02-29', '2000-02-29', '2025-04-31', '0000-01-01'])
      expect(JSON.stringify(parseEventDate(text))).toBe(JSON.stringify(parseEventDate(` ${text}`)));
  });

  it('gives back the very date from its text (the item file keeps dates as their text)', () => {
    const point = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.constantFrom('', '-01', '-12', '-02', '-Q1', '-Q4', '-21', '-24', '-33', '-01-31', '-02-29', '-12-01'),
        fc.constantFrom('', '~', '?', '%'),
      )
      .map(([y, rest, q]) => `${String(y).padStart(4, '0')}${rest}${q}`);
    const text = fc.oneof(
      point,
      fc.tuple(point, point).map(([a, b]) => `${a}/${b}`),
      point.map((a) => `${a}/..`),
      fc.integer({ min: 0, max: 9999 }).map(String),
    );
    let parsed = 0;
    fc.assert(
      fc.property(text, (written) => {
        const first = parseEventDate(written);
        if (!first.ok) return;
        parsed++;
        expect(storedDate(first.date.text)).toStrictEqual(first.date);
        if (first.date.precision === 'day' && !first.date.end) {
          expect(dayDate(first.date.text)).toStrictEqual(first.date);
          expect(JSON.stringify(dayDate(first.date.text))).toBe(JSON.stringify(first.date));
        } else expect(dayDate(first.date.text)).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
    expect(parsed).toBeGreaterThan(1000);
    expect(dayDate('2025-02-30')).toBeUndefined();
    expect(dayDate('2025-Q1~')).toBeUndefined();
    expect(dayDate('2025-02-30~')).toBeUndefined();
    expect(dayDate('2025-02-01x')).toBeUndefined();
  });
});

describe('compareEventDates', () => {
  it('sorts by lower bound, then coarser precision first', () => {
    const texts = ['2025-01-20', '2025-01', '2025', '2025-Q1', '2024-12-31', '2025-02'];
    const sorted = texts
      .map(date)
      .sort(compareEventDates)
      .map((d) => d.text);
    expect(sorted).toEqual(['2024-12-31', '2025', '2025-Q1', '2025-01', '2025-01-20', '2025-02']);
  });
});

describe('formatEventDate', () => {
  it.each([
    ['2025-01-20', '20 January 2025', '20 janvier 2025'],
    ['2025-01', 'January 2025', 'janvier 2025'],
    ['2025-Q1', 'Q1 2025', 'T1 2025'],
    ['2025~', 'c. 2025', 'vers 2025'],
    ['2025?', '2025?', '2025 ?'],
    ['2023/..', '2023 – present', "2023 – aujourd'hui"],
    ['2019/2021', '2019 – 2021', '2019 – 2021'],
  ])('writes %s as "%s" in English and "%s" in French', (text, en, fr) => {
    expect(formatEventDate(date(text), EN)).toBe(en);
    expect(formatEventDate(date(text), FR)).toBe(fr);
  });

  it('does not depend on the time zone of the reader', () => {
    // dayjs formats in UTC here; a date at midnight must not slip to the day before in America.
    const saved = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      expect(formatEventDate(date('2025-01-01'), EN)).toBe('1 January 2025');
    } finally {
      process.env.TZ = saved;
    }
  });
});

describe('dateTimeAttribute', () => {
  it.each([
    ['2025-01-20', '2025-01-20'],
    ['2025-01', '2025-01'],
    ['2025', '2025'],
    ['2025-Q3', '2025'],
    ['2025-01-20/2025-01-27', '2025-01-20'],
  ])('gives %s the valid HTML value %s', (text, value) => {
    expect(dateTimeAttribute(date(text))).toBe(value);
  });
});

describe('the locale files', () => {
  it('write dates as the page and the mail will show them', async () => {
    const { loadLocale } = await import('../../src/render/locales.js');
    const [en, fr] = await Promise.all([loadLocale('en'), loadLocale('fr')]);
    expect(formatEventDate(date('2025-01-20'), en.dates)).toBe('20 January 2025');
    expect(formatEventDate(date('2025-01-20'), fr.dates)).toBe('20 janvier 2025');
    expect(formatEventDate(date('2025-Q1'), fr.dates)).toBe('T1 2025');
    expect(formatEventDate(date('2023/..'), fr.dates)).toBe("2023 – aujourd'hui");
  });

  it('name an unknown locale clearly', async () => {
    const { loadLocale } = await import('../../src/render/locales.js');
    await expect(loadLocale('xx')).rejects.toThrow('there is no locale "xx"');
  });
});

describe('dates written another way get "did you mean"', () => {
  it.each([
    ['27/01/2025', '2025-01-27'],
    ['2025-1-27', '2025-01-27'],
    ['Jan 27 2025', '2025-01-27'],
    ['January 27, 2025', '2025-01-27'],
    ['27 January 2025', '2025-01-27'],
    ['1/27/2025', '2025-01-27'],
    ['2025/01/27', '2025-01-27'],
  ])('%s -> %s', (written, meant) => {
    const parsed = parseEventDate(written);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.hint).toMatch(new RegExp(`^did you mean ${meant}\\?`));
  });

  it.each([['03/04/2025'], ['31/02/2025'], ['Foo 27 2025'], ['soon']])('no guess for %s', (written) => {
    const parsed = parseEventDate(written);
    expect(parsed.ok ? '' : parsed.hint).not.toContain('did you mean');
  });
});
