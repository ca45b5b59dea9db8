// Calendar days written in a locale's pattern without making a dayjs object per date: a cold build
// of 10,000 events formatted ~10,000 distinct days through `dayjs.utc(day).locale(l).format(p)`,
// ~110 ms. A pattern is read once into pieces (dayjs's own token syntax) and each day is the pieces
// joined; month names come from the dayjs locale the locale file names (src/render/locales.ts
// loads it). Only the tokens of a calendar day are taken (YYYY YY M MM MMM MMMM D DD and [text]);
// a pattern with any other token, or a locale whose month names depend on the pattern (a
// function), returns undefined and the caller formats with dayjs as before.
// tests/unit/date-format.test.ts compares the two on random days, patterns and every locale.
import dayjs from 'dayjs';

/** Writes year, month (1-12) and day (1-31). */
export type DayFormatter = (year: number, month: number, day: number) => string;

/** dayjs's REGEX_FORMAT. */
const TOKENS = /\[([^\]]+)]|Y{1,4}|M{1,4}|D{1,2}|d{1,4}|H{1,2}|h{1,2}|a|A|m{1,2}|s{1,2}|Z{1,2}|SSS/g;

interface LocaleNames {
  months?: unknown;
  monthsShort?: unknown;
}

const made = new Map<string, DayFormatter | null>();

/** The formatter of `pattern` in dayjs locale `locale`, or undefined when only dayjs can do it. */
export function dayFormatter(pattern: string, locale: string): DayFormatter | undefined {
  const key = `${locale}\u0000${pattern}`;
  let formatter = made.get(key);
  if (formatter === undefined) {
    formatter = build(pattern, locale) ?? null;
    made.set(key, formatter);
  }
  return formatter ?? undefined;
}

type Piece = string | ((year: number, month: number, day: number) => string);

function build(pattern: string, locale: string): DayFormatter | undefined {
  const names = (dayjs as unknown as { Ls: Record<string, LocaleNames | undefined> }).Ls[locale];
  // An unknown locale: dayjs keeps its global one; leave that to dayjs.
  if (!names) return undefined;
  const months = names.months;
  const short = names.monthsShort;
  const monthsOk = Array.isArray(months) && months.length === 12 && months.every((m) => typeof m === 'string' && m !== '');
  const shortOk =
    short === undefined || (Array.isArray(short) && short.length === 12 && short.every((m) => typeof m === 'string' && m !== ''));
  const pieces: Piece[] = [];
  let at = 0;
  for (const match of pattern.matchAll(TOKENS)) {
    if (match.index > at) pieces.push(pattern.slice(at, match.index));
    at = match.index + match[0].length;
    if (match[1] !== undefined) {
      pieces.push(match[1]);
      continue;
    }
    switch (match[0]) {
      case 'YYYY':
        pieces.push((y) => String(y).padStart(4, '0'));
        break;
      case 'YY':
        pieces.push((y) => String(y).slice(-2));
        break;
      case 'M':
        pieces.push((_y, m) => String(m));
        break;
      case 'MM':
        pieces.push((_y, m) => String(m).padStart(2, '0'));
        break;
      case 'MMM':
        if (!monthsOk || !shortOk) return undefined;
        pieces.push((_y, m) => (short as string[] | undefined)?.[m - 1] ?? (months as string[])[m - 1]!.slice(0, 3));
        break;
      case 'MMMM':
        if (!monthsOk) return undefined;
        pieces.push((_y, m) => (months as string[])[m - 1]!);
        break;
      case 'D':
        pieces.push((_y, _m, d) => String(d));
        break;
      case 'DD':
        pieces.push((_y, _m, d) => String(d).padStart(2, '0'));
        break;
      default:
        return undefined; // a weekday, an hour, a zone...: not a calendar day's token
    }
  }
  if (at < pattern.length) pieces.push(pattern.slice(at));
  return (year, month, day) => {
    let text = '';
    for (const piece of pieces) text += typeof piece === 'string' ? piece : piece(year, month, day);
    return text;
  };
}
