// The EDTF subset of the events file (DESIGN.md, Dates): years, quarters, months, days, a `~`/`?`/`%`
// qualifier, intervals `A/B` and an open end `A/..`. Dates are handled as calendar parts and ISO day
// strings, never as instants, so they never pass through the reader's time zone.
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import 'dayjs/locale/fr.js';
import { dayFormatter } from '../render/date-format.js';
import { fillLabel } from '../render/fill.js';

dayjs.extend(utc);

export type Precision = 'year' | 'quarter' | 'month' | 'day';
export type Qualifier = 'approximate' | 'uncertain' | 'both';

/** One point of a date: `2025`, `2025-Q1`, `2025-01`, `2025-01-20`, with an optional qualifier. */
export interface DatePoint {
  year: number;
  quarter?: number;
  month?: number;
  day?: number;
  precision: Precision;
  qualifier?: Qualifier;
  /** First day covered, `YYYY-MM-DD`. */
  lower: string;
  /** Last day covered, `YYYY-MM-DD`. */
  upper: string;
}

export interface EventDate {
  /** The date as written in the file, normalised (`2025-33` becomes `2025-Q1`). */
  text: string;
  start: DatePoint;
  /** The end of an interval; `open` for `A/..` (still going on). */
  end?: DatePoint | 'open';
  precision: Precision;
  lower: string;
  /** For an open interval, the far future: it has not ended. */
  upper: string;
}

export type DateParse = { ok: true; date: EventDate } | { ok: false; message: string; hint: string };

const DATE_HELP =
  'write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn (2025, 2025-01, 2025-01-20, 2025-Q1), add ~ (approximate) or ? (uncertain), or give an interval A/B or an open end A/..';

const POINT = /^(\d{4})(?:-(?:Q(\d)|(\d{2}))(?:-(\d{2}))?)?([~?%])?$/;
const OPEN_END = '9999-12-31';
const QUALIFIERS: Record<string, Qualifier> = { '~': 'approximate', '?': 'uncertain', '%': 'both' };
const PRECISION_RANK: Record<Precision, number> = { year: 0, quarter: 1, month: 2, day: 3 };

/** Parsed dates are immutable, so the same text parses once per process (big files repeat days). */
const parsedDates = new Map<string | number, DateParse>();
const MAX_REMEMBERED_DATES = 100_000;

/** Parses a date as written in the file (a string, or a bare number for a year). */
export function parseEventDate(input: unknown): DateParse {
  if (typeof input !== 'string' && typeof input !== 'number') return fail('a date must be text such as 2025-01-20', DATE_HELP);
  const known = parsedDates.get(input);
  if (known) return known;
  const parsed = parseUncached(input);
  if (parsedDates.size >= MAX_REMEMBERED_DATES) parsedDates.clear();
  parsedDates.set(input, parsed);
  return parsed;
}

function parseUncached(input: string | number): DateParse {
  if (typeof input === 'string' && input.length === 10) {
    const day = plainDay(input);
    if (day) return day;
  }
  if (typeof input === 'number') {
    if (!Number.isInteger(input) || input < 0 || input > 9999) return fail(`${input} is not a year`, DATE_HELP);
    input = String(input).padStart(4, '0');
  }
  const text = input.trim();
  // `27/01/2025` is not an interval of `27` and `01/2025`: say which day it probably is.
  if (/^\d{1,4}\/\d{1,2}\/\d{1,4}$/.test(text)) {
    const guess = suggestDay(text);
    return fail(`"${text}" is not a date`, guess ? `did you mean ${guess}? Dates are written year first: ${DATE_HELP}` : DATE_HELP);
  }
  const slash = text.indexOf('/');
  if (slash === -1) {
    const point = parsePoint(text);
    if (!point.ok) return point;
    const p = point.point;
    return { ok: true, date: { text: pointText(p), start: p, precision: p.precision, lower: p.lower, upper: p.upper } };
  }
  const startText = text.slice(0, slash);
  const endText = text.slice(slash + 1);
  const start = parsePoint(startText);
  if (!start.ok) return start;
  if (endText === '..') {
    const s = start.point;
    return {
      ok: true,
      date: { text: `${pointText(s)}/..`, start: s, end: 'open', precision: s.precision, lower: s.lower, upper: OPEN_END },
    };
  }
  const end = parsePoint(endText);
  if (!end.ok) return end;
  const s = start.point;
  const e = end.point;
  if (e.upper < s.lower) {
    return fail(`"${text}" ends before it starts`, `put the earlier date first: ${endText}/${startText}`);
  }
  return {
    ok: true,
    date: { text: `${pointText(s)}/${pointText(e)}`, start: s, end: e, precision: s.precision, lower: s.lower, upper: e.upper },
  };
}

/**
 * `YYYY-MM-DD` of a day that exists, the most common date by far, read without the regex and the
 * general path; the very value parsePoint gives. Anything else (a day that does not exist, another
 * form) is left to the general path, which explains it.
 */
function plainDay(text: string): DateParse | undefined {
  const date = dayOf(text, text);
  return date && { ok: true, date };
}

/** The date of `day` (its first ten characters `YYYY-MM-DD`, a day that exists) written `text`,
 * with the qualifier given, else undefined. Straight-line code, no strings made: the item file reads
 * 10,000 days with it, once each, in code that runs too few times to be optimised. */
function dayOf(text: string, day: string, qualifier?: Qualifier): EventDate | undefined {
  if (day.charCodeAt(4) !== 45 || day.charCodeAt(7) !== 45) return undefined;
  const year = digit(day, 0) * 1000 + digit(day, 1) * 100 + digit(day, 2) * 10 + digit(day, 3);
  const month = digit(day, 5) * 10 + digit(day, 6);
  const dayOfMonth = digit(day, 8) * 10 + digit(day, 9);
  // NaN (a character that is not a digit) fails every comparison.
  if (!(month >= 1 && month <= 12 && dayOfMonth >= 1 && dayOfMonth <= daysInMonth(year, month) && year >= 0)) return undefined;
  const start: DatePoint = qualifier
    ? { year, month, day: dayOfMonth, precision: 'day', lower: day, upper: day, qualifier }
    : { year, month, day: dayOfMonth, precision: 'day', lower: day, upper: day };
  return { text, start, precision: 'day', lower: day, upper: day };
}

/** The value of the digit at `at`, or NaN. */
function digit(text: string, at: number): number {
  const value = text.charCodeAt(at) - 48;
  return value >= 0 && value <= 9 ? value : Number.NaN;
}

/** The date of `YYYY-MM-DD` text of a day that exists, or of such a day with a qualifier (`~`, `?`,
 * `%`): what parseEventDate gives, else undefined. Not remembered (the item file reads each day of
 * 10,000 events once). */
export function dayDate(text: string): EventDate | undefined {
  if (text.length === 10) return dayOf(text, text);
  const qualifier = text.length === 11 ? QUALIFIERS[text[10]!] : undefined;
  return qualifier && dayOf(text, text.slice(0, 10), qualifier);
}

/** Sort order of DESIGN.md: lower bound, then coarser precision first (the caller breaks ties by file order). */
export function compareEventDates(a: EventDate, b: EventDate): number {
  if (a.lower !== b.lower) return a.lower < b.lower ? -1 : 1;
  return PRECISION_RANK[a.precision] - PRECISION_RANK[b.precision];
}

/** The value of a `<time datetime>` attribute: a valid HTML date string at the date's precision. */
export function dateTimeAttribute(date: EventDate): string {
  const p = date.start;
  if (p.precision === 'day') return p.lower;
  if (p.precision === 'month') return p.lower.slice(0, 7);
  return p.lower.slice(0, 4);
}

/** How a locale writes dates; it comes from the locale file (templates/locales/*.json). */
export interface DateFormats {
  /** dayjs locale name: `en`, `fr`. */
  dayjs: string;
  day: string;
  month: string;
  year: string;
  /** `{q}` and `{year}` are replaced: `Q{q} {year}`. */
  quarter: string;
  /** `{date}` is replaced. */
  approximate: string;
  uncertain: string;
  both: string;
  /** `{start}` and `{end}` are replaced. */
  range: string;
  present: string;
}

/** Formatted dates per locale: pages and feeds format the same few thousand dates many times. */
const formatted = new WeakMap<DateFormats, Map<string, string>>();

export function formatEventDate(date: EventDate, formats: DateFormats): string {
  const cache = formatted.get(formats) ?? new Map<string, string>();
  formatted.set(formats, cache);
  let text = cache.get(date.text);
  if (text === undefined) {
    text = formatUncached(date, formats);
    cache.set(date.text, text);
  }
  return text;
}

function formatUncached(date: EventDate, formats: DateFormats): string {
  const start = formatPoint(date.start, formats);
  if (!date.end) return start;
  const end = date.end === 'open' ? formats.present : formatPoint(date.end, formats);
  return fillLabel(formats.range, { start, end });
}

/** A day (`YYYY-MM-DD`) written whole, or as its month: `as_of` on the page, a newsletter's period. */
export function formatDay(day: string, formats: DateFormats, precision: 'day' | 'month' = 'day'): string {
  return formatPoint({ year: Number(day.slice(0, 4)), precision, lower: day, upper: day }, formats);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** One point of a date in the locale's form, with its qualifier. */
export function formatPoint(point: DatePoint, formats: DateFormats): string {
  let text: string;
  if (point.precision === 'quarter') {
    text = fillLabel(formats.quarter, { q: String(point.quarter), year: String(point.year) });
  } else {
    const pattern = formats[point.precision];
    const lower = point.lower;
    // By hand when the pattern and locale allow (no dayjs object per date), else by dayjs.
    const hand = DAY.test(lower) ? dayFormatter(pattern, formats.dayjs) : undefined;
    text = hand
      ? hand(Number(lower.slice(0, 4)), Number(lower.slice(5, 7)), Number(lower.slice(8, 10)))
      : dayjs.utc(lower).locale(formats.dayjs).format(pattern);
  }
  return point.qualifier ? fillLabel(formats[point.qualifier], { date: text }) : text;
}

function parsePoint(text: string): { ok: true; point: DatePoint } | { ok: false; message: string; hint: string } {
  const m = POINT.exec(text);
  if (!m) {
    const guess = suggestDay(text);
    return fail(`"${text}" is not a date`, guess ? `did you mean ${guess}? Dates are written year first: ${DATE_HELP}` : DATE_HELP);
  }
  const [, y, q, mm, dd, qual] = m;
  const year = Number(y);
  const qualifier = qual ? QUALIFIERS[qual] : undefined;
  const withQualifier = (p: DatePoint): { ok: true; point: DatePoint } => ({
    ok: true,
    point: qualifier ? { ...p, qualifier } : p,
  });
  if (q !== undefined) {
    const quarter = Number(q);
    if (dd !== undefined) return fail(`"${text}" is not a date`, 'a quarter has no day: write 2025-Q1 or 2025-01-20');
    if (quarter < 1 || quarter > 4) return fail(`there is no quarter ${quarter} in "${text}"`, 'quarters are Q1 to Q4');
    return withQuarter(year, quarter, withQualifier);
  }
  if (mm === undefined) return withQualifier({ year, precision: 'year', lower: `${y}-01-01`, upper: `${y}-12-31` });
  const month = Number(mm);
  // EDTF level 2 writes quarters as 33..36; DESIGN.md accepts them and we normalise to 2025-Q1.
  if (month >= 33 && month <= 36 && dd === undefined) return withQuarter(year, month - 32, withQualifier);
  if (month < 1 || month > 12) return fail(`"${text}" is not a date: there is no month ${mm}`, 'months go from 01 to 12');
  const days = daysInMonth(year, month);
  if (dd === undefined) {
    return withQualifier({ year, month, precision: 'month', lower: `${y}-${mm}-01`, upper: `${y}-${mm}-${days}` });
  }
  const day = Number(dd);
  if (day < 1 || day > days) {
    const monthName = dayjs.utc(`${y}-${mm}-01`).format('MMMM YYYY');
    return fail(`"${text}" is not a date`, `${monthName} has ${days} days`);
  }
  const iso = `${y}-${mm}-${dd}`;
  return withQualifier({ year, month, day, precision: 'day', lower: iso, upper: iso });
}

function withQuarter(
  year: number,
  quarter: number,
  finish: (p: DatePoint) => { ok: true; point: DatePoint },
): { ok: true; point: DatePoint } {
  const y = String(year).padStart(4, '0');
  const firstMonth = (quarter - 1) * 3 + 1;
  const lastMonth = firstMonth + 2;
  const lower = `${y}-${pad(firstMonth)}-01`;
  const upper = `${y}-${pad(lastMonth)}-${daysInMonth(year, lastMonth)}`;
  return finish({ year, quarter, precision: 'quarter', lower, upper });
}

function pointText(p: DatePoint): string {
  const base =
    p.precision === 'year'
      ? p.lower.slice(0, 4)
      : p.precision === 'quarter'
        ? `${p.lower.slice(0, 4)}-Q${p.quarter}`
        : p.precision === 'month'
          ? p.lower.slice(0, 7)
          : p.lower;
  const mark = p.qualifier === 'approximate' ? '~' : p.qualifier === 'uncertain' ? '?' : p.qualifier === 'both' ? '%' : '';
  return base + mark;
}

// Plain Gregorian arithmetic: this runs for every date of every file, so no date object is made.
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The day a person most likely meant by a date in another common form: `27/01/2025`, `1/27/2025`,
 * `2025-1-27`, `Jan 27 2025`, `27 January 2025`. Undefined when there is no single existing day.
 */
export function suggestDay(text: string): string | undefined {
  const t = text.trim().toLowerCase().replace(/,/g, ' ').replace(/\s+/g, ' ');
  const parts = guessParts(t);
  if (!parts) return undefined;
  const { year, month, day } = parts;
  if (month === undefined || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

function guessParts(t: string): { year: number; month: number | undefined; day: number } | undefined {
  const yearFirst = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (yearFirst) return { year: Number(yearFirst[1]), month: Number(yearFirst[2]), day: Number(yearFirst[3]) };
  const yearLast = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(t);
  if (yearLast) {
    const [a, b, year] = [Number(yearLast[1]), Number(yearLast[2]), Number(yearLast[3])];
    // Day first unless only month first makes sense (27/01 is day first, 01/27 month first); 03/04 is either.
    if (a > 12 && b <= 12) return { year, month: b, day: a };
    if (b > 12 && a <= 12) return { year, month: a, day: b };
    return a === b ? { year, month: a, day: a } : undefined;
  }
  const monthFirst = /^([a-z]{3,})\.? (\d{1,2})(?:st|nd|rd|th)? (\d{4})$/.exec(t);
  if (monthFirst) return { year: Number(monthFirst[3]), month: monthNumber(monthFirst[1]!), day: Number(monthFirst[2]) };
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)? ([a-z]{3,})\.? (\d{4})$/.exec(t);
  if (dayFirst) return { year: Number(dayFirst[3]), month: monthNumber(dayFirst[2]!), day: Number(dayFirst[1]) };
  return undefined;
}

function monthNumber(name: string): number | undefined {
  const index = MONTHS.indexOf(name.slice(0, 3));
  return index === -1 || !'january february march april may june july august september october november december'.includes(name)
    ? undefined
    : index + 1;
}

function fail(message: string, hint: string): { ok: false; message: string; hint: string } {
  return { ok: false, message, hint };
}
