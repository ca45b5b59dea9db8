// The picture of time: an inline SVG, drawn at build time, of when the timeline's events happened.
// Small timelines get one mark per event (a dot plot: marks at their dates, stacked where they
// crowd, precision as width); dense ones a histogram per month, year or decade. Positions are
// percentages of the picture's width and sizes are pixels, so text and marks keep their size at any
// width; every link target is at least 24 px or 24 px from the next (WCAG 2.2 target size). Pure.
import type { EventDate } from '../events/dates.js';
import type { TimelineEvent } from '../events/model.js';
import { FORWARD_STATUSES } from '../events/schema.js';
import { escapeHtml } from '../render/escape.js';
import { fillLabel } from '../render/fill.js';
import type { ListFacts } from './list-facts.js';

export interface PictureInput {
  /** Sorted like the timeline. */
  events: TimelineEvent[];
  now: string;
  /** BCP 47 language of the page, for month names on the axis. */
  lang: string;
  labels: Record<string, string>;
  formatDate: (date: EventDate) => string;
  isComingUp: (event: TimelineEvent) => boolean;
  /** Where a mark or a bar links to. */
  eventHref: (event: TimelineEvent) => string;
  yearHref: (year: string) => string;
}

export type Unit = 'month' | 'year' | 'decade';
const LANE = 26; // px between lane centres: more than the 24 px of a target
const MAX_LANES = 8; // the seed (12 events) stacks 8 high over 2024-07..2025-01 at the narrowest width
const BARS = 96; // px: the tallest bar
const TOP = 18; // px above the marks: room for counts
const MIN_WIDTH = 340; // px: the picture's narrowest width, a phone's column
const TARGET = 25; // px: the width of a link target

interface Mark {
  event: TimelineEvent;
  /** Hit interval in % of the width. */
  from: number;
  to: number;
  /** Drawn interval (ranges) or centre (points), in %. */
  x0: number;
  x1: number;
  point: boolean;
  lane: number;
}

export interface TimePicture {
  /** The figure, or '' when no event has a date. */
  html: string;
  /** For the page's <style>: the picture's narrowest width (html-validate allows no inline style). */
  css: string;
}

/** Where a page's marks and bars link to: the only thing that differs between the pages of a timeline. */
export type PictureLinks = Pick<PictureInput, 'eventHref' | 'yearHref'>;

// NUL cannot occur in an events file (the YAML reader rejects it): a link is laid out as a token
// `\u0000e<n>` (the n-th event asked for) or `\u0000y<year>`, ended by another NUL.
const TOKEN = '\u0000';

/**
 * The picture laid out once for every page of a timeline: its marks, bars, axis and text are the
 * same on each page, only the links differ (`#event-x` here, `2010.html#event-x` elsewhere). The
 * returned function fills in one page's links; the bytes are those of renderTimePicture.
 */
export function layTimePicture(
  input: Omit<PictureInput, keyof PictureLinks>,
  data: PictureData = pictureData(input),
): (links: PictureLinks) => TimePicture {
  // A label with a NUL (a locale file can hold anything) would be read as a token: lay out per page.
  if (Object.values(input.labels).some((label) => label.includes(TOKEN))) return (links) => renderTimePicture({ ...input, ...links }, data);
  const linked: TimelineEvent[] = [];
  const laid = renderTimePicture(
    {
      ...input,
      eventHref: (event) => `${TOKEN}e${linked.push(event) - 1}${TOKEN}`,
      yearHref: (year) => `${TOKEN}y${year}${TOKEN}`,
    },
    data,
  );
  // Odd pieces are tokens. Tokens hold no character escapeHtml changes, so the html around them
  // is final; each link is escaped as renderTimePicture escapes it.
  const pieces = laid.html.split(TOKEN);
  return (links) => {
    if (pieces.length === 1) return laid;
    let html = pieces[0]!;
    for (let i = 1; i < pieces.length; i += 2) {
      const token = pieces[i]!;
      const href = token[0] === 'e' ? links.eventHref(linked[Number(token.slice(1))]!) : links.yearHref(token.slice(1));
      html += escapeHtml(href) + pieces[i + 1]!;
    }
    return { html, css: laid.css };
  };
}

/**
 * What the picture counts of the events, by one walk over them in their order (or, for a large
 * timeline whose lists' facts are kept between builds, added up from them: see pictureDataOfLists).
 */
export interface PictureData {
  /** All the timeline's events (the summary says how many). */
  total: number;
  /** Dated events: how many, the headlines among them, the first lower day and the last day shown. */
  dated: number;
  headlines: number;
  first: string;
  last: string;
  comingUp: number;
  /** Coming up and undated. */
  undated: TimelineEvent[];
  /** The dated events themselves, when known: needed for marks (few events). */
  datedEvents?: TimelineEvent[];
  /** Past events per bucket (headlines, claims, the first of them). */
  barCounts(buckets: string[], unit: Unit): BarCount[];
  /** The bucket with the most dated events, the first of equals. */
  busiest(unit: Unit, buckets: string[]): { bucket: string; count: number };
}

export interface BarCount {
  all: number;
  headlines: number;
  claims: number;
  first: TimelineEvent | undefined;
}

/** The picture's data by one walk over the events, in their order (every save in serve, every
 * build: not five filters). */
export function pictureData(input: Pick<PictureInput, 'events' | 'now' | 'isComingUp'>): PictureData {
  const dated: TimelineEvent[] = [];
  const undated: TimelineEvent[] = [];
  const past: TimelineEvent[] = [];
  let comingUp = 0;
  let headlines = 0;
  // The axis: first to last day, rounded out to whole buckets. An open end runs to now.
  let first = '';
  let last = '';
  for (const e of input.events) {
    const up = input.isComingUp(e);
    if (up) comingUp++;
    const d = e.date;
    if (!d) {
      if (up) undated.push(e);
      continue;
    }
    if (dated.length === 0) first = last = d.lower;
    dated.push(e);
    if (!up) past.push(e);
    if (e.importance === 1) headlines++;
    if (d.lower < first) first = d.lower;
    const upper = d.end === 'open' ? input.now : d.upper;
    if (upper > last) last = upper;
  }
  return {
    total: input.events.length,
    dated: dated.length,
    headlines,
    first,
    last,
    comingUp,
    undated,
    datedEvents: dated,
    barCounts: (buckets) => countBars(past, buckets),
    busiest: (unit, buckets) => busiestBucket(dated, unit, buckets),
  };
}

/** More dated events than marks can ever place (see layMarks): the picture is a histogram. */
const MARKS_AT_MOST = MAX_LANES * (Math.floor((100 + (TARGET / MIN_WIDTH) * 100) / ((TARGET / MIN_WIDTH) * 100)) + 2);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The same data added up from the facts of the timeline's lists of past events (its years, in
 * order; list-facts.ts) and a walk over the coming-up events only: for a large timeline whose
 * dated events are in order (as a loaded timeline's are), the bytes of pictureData's. Undefined
 * when that does not hold (events out of order, a day not written YYYY-MM-DD, few enough events
 * for marks): then the events are walked.
 */
export function pictureDataOfLists(
  lists: { events: readonly TimelineEvent[]; facts: ListFacts }[],
  comingUpEvents: readonly TimelineEvent[],
  total: number,
  now: string,
): PictureData | undefined {
  let dated = 0;
  let headlines = 0;
  let lo = '';
  let hi = '';
  /** The month of the latest lower day: past the axis's end, the walk counts differently. */
  let lastMonth = '';
  const span = (lower: string, upper: string) => {
    if (dated === 0 || lower < lo) lo = lower;
    if (dated === 0 || upper > hi) hi = upper;
  };
  for (const { facts } of lists) {
    if (!facts.sorted) return undefined;
    if (facts.dated === 0) continue;
    span(facts.lo, facts.hi);
    const month = facts.months.at(-1)![0];
    if (month > lastMonth) lastMonth = month;
    dated += facts.dated;
    headlines += facts.headlines;
  }
  const undated: TimelineEvent[] = [];
  const upcoming: TimelineEvent[] = [];
  for (const event of comingUpEvents) {
    const d = event.date;
    if (!d) {
      undated.push(event);
      continue;
    }
    if (!DAY.test(d.lower)) return undefined;
    span(d.lower, d.end === 'open' ? now : d.upper);
    if (d.lower.slice(0, 7) > lastMonth) lastMonth = d.lower.slice(0, 7);
    upcoming.push(event);
    dated++;
    if (event.importance === 1) headlines++;
  }
  if (dated <= MARKS_AT_MOST) return undefined;
  // The walk ends the axis at the later of the first event's lower day and the greatest upper day;
  // a lower day past that end (an open end from after now) is counted otherwise by the walk, so
  // here the axis ends at the greatest upper day, which is also the later of the two.
  const last = hi;
  if (lastMonth > last.slice(0, 7)) return undefined;
  const bucketIndex = (buckets: string[]) => new Map(buckets.map((bucket, i) => [bucket, i]));
  return {
    total,
    dated,
    headlines,
    first: lo,
    last,
    comingUp: comingUpEvents.length,
    undated,
    barCounts: (buckets, unit) => {
      const counts: BarCount[] = buckets.map(() => ({ all: 0, headlines: 0, claims: 0, first: undefined }));
      const at = bucketIndex(buckets);
      for (const { events, facts } of lists) {
        for (const [month, all, heads, claims, first] of facts.months) {
          const c = counts[at.get(bucketStart(`${month}-01`, unit))!]!;
          c.all += all;
          c.headlines += heads;
          c.claims += claims;
          c.first ??= events[first];
        }
      }
      return counts;
    },
    busiest: (unit, buckets) => {
      const counts = new Array<number>(buckets.length).fill(0);
      const at = bucketIndex(buckets);
      for (const { facts } of lists) for (const [month, all] of facts.months) counts[at.get(bucketStart(`${month}-01`, unit))!]! += all;
      for (const event of upcoming) counts[at.get(bucketStart(event.date!.lower, unit))!]!++;
      let best = { bucket: '', count: 0 };
      buckets.forEach((bucket, i) => {
        if (counts[i]! > best.count) best = { bucket, count: counts[i]! };
      });
      return best;
    },
  };
}

export function renderTimePicture(input: PictureInput, data: PictureData = pictureData(input)): TimePicture {
  const { labels } = input;
  const { first, last, undated } = data;
  if (data.dated === 0) return { html: '', css: '' };
  const months = monthIndex(last) - monthIndex(first) + 1;
  const unit: Unit = months <= 36 ? 'month' : months <= 60 * 12 ? 'year' : 'decade';
  const start = bucketStart(first, unit);
  const end = nextBucket(bucketStart(last, unit), unit);
  const d0 = dayNumber(start);
  const d1 = dayNumber(end);
  const buckets: string[] = [];
  for (let b = start; b < end; b = nextBucket(b, unit)) buckets.push(b);

  const left = 1;
  const right = undated.length ? 84 : 99;
  const x = (day: number) => left + ((day - d0) / (d1 - d0)) * (right - left);

  // Marks if every event finds a place in a few lanes at the narrowest width, else a histogram.
  const marks = data.datedEvents ? layMarks(data.datedEvents, x, (TARGET / MIN_WIDTH) * 100, input.now) : undefined;
  const histogram = marks === undefined;
  const width = histogram ? Math.max(MIN_WIDTH, Math.ceil((buckets.length * 25) / ((right - left) / 100))) : MIN_WIDTH;
  const lanes = histogram ? 0 : Math.max(1, ...marks.map((m) => m.lane + 1), Math.min(undated.length, 3));
  const plotHeight = histogram ? BARS : lanes * LANE;
  const axisY = TOP + plotHeight + 6;
  const height = axisY + 26;

  const parts: string[] = [];
  parts.push(
    `<defs><pattern id="tp-hatch" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2.5" height="5" class="tp-hatch"/></pattern><path id="tp-diamond" d="M0-7L7 0 0 7-7 0z"/><path id="tp-diamond-h" d="M0-10L10 0 0 10-10 0z"/><path id="tp-arrow" d="M0-7L8 0 0 7z"/></defs>`,
  );
  parts.push(`<line class="tp-axis" x1="${pct(left)}" x2="${pct(right)}" y1="${axisY}" y2="${axisY}"/>`);
  parts.push(ticks(buckets, unit, x, axisY, input.lang));
  if (histogram) {
    parts.push(bars(data.barCounts(buckets, unit), buckets, unit, x, axisY, input));
    if (data.comingUp) parts.push(comingUpBar(data.comingUp, undated.length ? 86 : 99, axisY, input, undated.length > 0));
  } else {
    const laneY = (lane: number) => TOP + (lanes - 1 - lane) * LANE + LANE / 2;
    for (const mark of marks) parts.push(markSvg(mark, laneY(mark.lane), input));
    if (undated.length) parts.push(undatedMarks(undated, laneY, lanes, input));
  }
  if (undated.length) {
    parts.push(
      `<text class="tp-label" x="${pct(93)}" y="${axisY + 18}" text-anchor="middle">${escapeHtml(labels.picture_undated ?? 'Undated')}</text>`,
    );
  }

  const busiest = data.busiest(unit, buckets);
  const summary = fillLabel(labels.picture_summary ?? '{events} events from {first} to {last}.', {
    events: String(data.total),
    first: first.slice(0, 4),
    last: last.slice(0, 4),
    headlines: String(data.headlines),
    busiest: bucketLabel(busiest.bucket, unit, input.lang),
    count: String(busiest.count),
  });
  const title = escapeHtml(labels.picture_title ?? 'When things happened');
  const html = `<figure class="time-picture" aria-labelledby="tp-caption">
<div class="tp-scroll"><svg class="tp${histogram ? ' tp-histogram' : ''}" role="group" aria-labelledby="tp-title" aria-describedby="tp-desc" width="100%" height="${height}"${histogram ? ` data-axis="${axisY}" data-bars="${BARS}"` : ''}><title id="tp-title">${title}</title><desc id="tp-desc">${escapeHtml(summary)}</desc>${parts.join('')}</svg></div>
<figcaption id="tp-caption"><strong>${title}.</strong> ${escapeHtml(summary)} ${legend(labels, histogram)}</figcaption>
</figure>`;
  return { html, css: `.tp{min-width:${width}px}` };
}

/** Greedy lanes from the axis up; undefined when some event finds no lane (then: a histogram). */
function layMarks(events: TimelineEvent[], x: (day: number) => number, gap: number, now: string): Mark[] | undefined {
  // Marks in one lane start at least `gap` apart within about 100 + gap: more events than the lanes
  // can hold never fit (thousands of events: no need to place them to find out).
  if (events.length > MAX_LANES * (Math.floor((100 + gap) / gap) + 2)) return undefined;
  const marks: Mark[] = events.map((event) => {
    const d = event.date!;
    const point = d.precision === 'day' && !d.end;
    const lo = dayNumber(d.lower);
    const hi = dayNumber(d.end === 'open' ? (now > d.lower ? now : d.lower) : d.upper) + 1;
    if (point) {
      const c = x(lo + 0.5);
      return { event, from: c - gap / 2, to: c + gap / 2, x0: c, x1: c, point, lane: 0 };
    }
    const x0 = x(lo);
    const x1 = x(hi);
    return { event, from: x0, to: Math.max(x1, x0 + gap), x0, x1, point, lane: 0 };
  });
  const ends: number[] = [];
  for (const mark of [...marks].sort((a, b) => a.from - b.from)) {
    let lane = ends.findIndex((endAt) => endAt <= mark.from);
    if (lane === -1) {
      if (ends.length === MAX_LANES) return undefined;
      lane = ends.length;
      ends.push(0);
    }
    ends[lane] = mark.to;
    mark.lane = lane;
  }
  return marks;
}

function markSvg(mark: Mark, y: number, input: PictureInput, undated = false): string {
  const { event } = mark;
  const d = event.date;
  const headline = event.importance === 1;
  const claim = event.certainty === 'claimed' || event.certainty === 'disputed';
  const upcoming = undated || FORWARD_STATUSES.has(event.status);
  const approximate = Boolean(d && (d.start.qualifier || (d.end && d.end !== 'open' && d.end.qualifier)));
  const classes = ['tp-mark', headline ? 'tp-h' : '', claim ? 'tp-c' : '', upcoming ? 'tp-u' : '', approximate ? 'tp-a' : '']
    .filter(Boolean)
    .join(' ');
  const label = escapeHtml(`${d ? input.formatDate(d) : (input.labels.undated ?? '')}: ${event.title}`);
  let shape: string;
  if (mark.point) {
    const cx = pct(mark.x0);
    const body = claim
      ? `<use href="#${headline ? 'tp-diamond-h' : 'tp-diamond'}" x="${cx}" y="${y}" class="tp-shape"/>`
      : `<circle class="tp-shape" cx="${cx}" cy="${y}" r="${headline ? 8 : 5.5}"/>`;
    const ring = approximate ? `<circle class="tp-ring" cx="${cx}" cy="${y}" r="${headline ? 11.5 : 9}"/>` : '';
    shape = `<circle class="tp-hit" cx="${cx}" cy="${y}" r="12.5"/>${ring}${body}`;
  } else {
    const h = headline ? 14 : 10;
    const open = d?.end === 'open';
    shape = `<rect class="tp-hit" x="${pct(mark.from)}" y="${y - 12.5}" width="${pct(mark.to - mark.from)}" height="25"/><rect class="tp-shape" x="${pct(mark.x0)}" y="${y - h / 2}" width="${pct(Math.max(mark.x1 - mark.x0, 0.2))}" height="${h}" rx="2"/>${open ? `<use href="#tp-arrow" x="${pct(mark.x1)}" y="${y}" class="tp-shape"/>` : ''}`;
  }
  return `<a href="${escapeHtml(input.eventHref(event))}" class="${classes}"><title>${label}</title>${shape}</a>`;
}

function undatedMarks(undated: TimelineEvent[], laneY: (lane: number) => number, lanes: number, input: PictureInput): string {
  // Up to three columns of `lanes` marks in the zone after the axis; more are one bar.
  if (undated.length > lanes * 3) return comingUpBar(undated.length, 86, laneY(0) + LANE / 2 + 6, input, true);
  return undated
    .map((event, i) => {
      const c = 88 + Math.floor(i / lanes) * 5;
      return markSvg({ event, from: c, to: c, x0: c, x1: c, point: true, lane: i % lanes }, laneY(i % lanes), input, true);
    })
    .join('');
}

function comingUpBar(count: number, at: number, axisY: number, input: PictureInput, undatedZone: boolean): string {
  const label = escapeHtml(fillLabel(input.labels.picture_coming_up ?? '{count} coming up', { count: String(count) }));
  const x0 = undatedZone ? at : at - 5;
  return `<a href="#coming-up" class="tp-bar tp-u"><title>${label}</title><rect class="tp-hit" x="${pct(x0)}" y="${TOP}" width="${pct(undatedZone ? 13 : 5)}" height="${axisY - TOP}"/><rect class="tp-shape" x="${pct(x0 + 1)}" y="${axisY - 24}" width="${pct(undatedZone ? 11 : 3)}" height="24" rx="2"/><text class="tp-count" aria-hidden="true" x="${pct(x0 + (undatedZone ? 6.5 : 2.5))}" y="${axisY - 30}" text-anchor="middle">${count}</text></a>`;
}

/** Past events per bucket, by a walk along the buckets (the events are in the timeline's order). */
function countBars(past: TimelineEvent[], buckets: string[]): BarCount[] {
  const counts: BarCount[] = buckets.map(() => ({ all: 0, headlines: 0, claims: 0, first: undefined }));
  let b = 0;
  for (const event of past) {
    const lower = event.date!.lower;
    while (b + 1 < buckets.length && lower >= buckets[b + 1]!) b++;
    const c = counts[b]!;
    c.all++;
    if (event.importance === 1) c.headlines++;
    else if (event.certainty === 'claimed' || event.certainty === 'disputed') c.claims++;
    c.first ??= event;
  }
  return counts;
}

/** One bar per bucket: headlines at the foot (solid), then claims (hatched), then the rest. */
function bars(counts: BarCount[], buckets: string[], unit: Unit, x: (day: number) => number, axisY: number, input: PictureInput): string {
  const max = Math.max(1, ...counts.map((c) => c.all));
  const scale = (n: number) => (n ? Math.max(2, (n / max) * BARS) : 0);
  return buckets
    .map((bucket, i) => {
      const c = counts[i]!;
      const x0 = x(dayNumber(bucket));
      const x1 = x(dayNumber(buckets[i + 1] ?? nextBucket(bucket, unit)));
      const w = x1 - x0;
      const name = bucketLabel(bucket, unit, input.lang);
      const label = escapeHtml(
        fillLabel(input.labels.picture_bar ?? '{period}: {count} events', { period: name, count: String(c.all) }) +
          (c.headlines ? `, ${fillLabel(input.labels.picture_bar_headlines ?? '{count} headlines', { count: String(c.headlines) })}` : ''),
      );
      const all = scale(c.all);
      const h = scale(c.headlines);
      const cl = scale(c.claims);
      const bx = pct(x0 + w * 0.12);
      const bw = pct(w * 0.76);
      const seg = (cls: string, from: number, height: number) =>
        `<rect class="${cls}" x="${bx}" y="${(axisY - from - height).toFixed(1)}" width="${bw}" height="${height.toFixed(1)}"/>`;
      const body = c.all
        ? `${seg('tp-o', 0, all)}${seg('tp-hh', 0, Math.min(h, all))}${seg('tp-cc', Math.min(h, all), Math.min(cl, all - Math.min(h, all)))}<text class="tp-count" aria-hidden="true" x="${pct(x0 + w / 2)}" y="${(axisY - all - 4).toFixed(1)}" text-anchor="middle">${c.all}</text>`
        : '';
      const href = c.first ? (unit === 'month' ? input.eventHref(c.first) : input.yearHref(c.first.date!.lower.slice(0, 4))) : '';
      const hit = `<rect class="tp-hit" x="${pct(x0)}" y="${TOP}" width="${pct(w)}" height="${axisY - TOP}"/>`;
      return c.all
        ? `<a href="${escapeHtml(href)}" class="tp-bar" data-n="${c.all}" data-b="${bucket.slice(0, 7)}"><title>${label}</title>${hit}${body}</a>`
        : `<g class="tp-bar" data-n="0" data-b="${bucket.slice(0, 7)}"></g>`;
    })
    .join('');
}

function ticks(buckets: string[], unit: Unit, x: (day: number) => number, axisY: number, lang: string): string {
  const steps = unit === 'month' ? [1, 2, 3, 6, 12] : [1, 2, 5, 10, 20, 25, 50, 100];
  const step = steps.find((s) => buckets.length / s <= 6) ?? steps[steps.length - 1]!;
  const out: string[] = [];
  buckets.forEach((bucket, i) => {
    const at = x(dayNumber(bucket));
    const major = i % step === 0;
    out.push(`<line class="tp-tick" x1="${pct(at)}" x2="${pct(at)}" y1="${axisY}" y2="${axisY + (major ? 6 : 3)}"/>`);
    if (major) {
      const next = x(dayNumber(nextBucket(bucket, unit)));
      out.push(
        `<text class="tp-label" x="${pct(unit === 'month' ? at : (at + next) / 2)}" y="${axisY + 18}" text-anchor="${unit === 'month' ? 'start' : 'middle'}">${escapeHtml(tickLabel(bucket, unit, lang, i === 0))}</text>`,
      );
    }
  });
  return out.join('');
}

function legend(labels: Record<string, string>, histogram: boolean): string {
  const items = histogram
    ? [
        ['tp-k-hh', labels.picture_legend_headline ?? 'Headlines'],
        ['tp-k-cc', labels.picture_legend_claim ?? 'Claims'],
        ['tp-k-o', labels.picture_legend_other ?? 'Other events'],
      ]
    : [
        ['tp-k-h', labels.picture_legend_headline ?? 'Headlines'],
        ['tp-k-c', labels.picture_legend_claim ?? 'Claims'],
        ['tp-k-u', labels.picture_legend_upcoming ?? 'Coming up'],
        ['tp-k-a', labels.picture_legend_approximate ?? 'Approximate date'],
        ['tp-k-r', labels.picture_legend_range ?? 'Month, quarter, year or span'],
      ];
  return `<span class="tp-legend">${items.map(([cls, text]) => `<span class="${cls}">${escapeHtml(text!)}</span>`).join(' ')}</span>`;
}

/**
 * The bucket with the most events, the first of equals. Events sorted by their lower day (the
 * timeline's order) are counted by a walk along `buckets` (every bucket, in order, from the first
 * event's): no string is made per event, on every save in serve. Anything else (out of order, a day
 * outside the buckets) is counted the general way, by each event's bucket. Exported for tests.
 */
export function busiestBucket(events: TimelineEvent[], unit: Unit, buckets?: readonly string[]): { bucket: string; count: number } {
  const counts = (buckets && countAlong(events, unit, buckets)) ?? countByBucket(events, unit);
  let best = { bucket: '', count: 0 };
  for (const [bucket, count] of counts) if (count > best.count) best = { bucket, count };
  return best;
}

/** Events per bucket, in the buckets' order, by a walk; undefined when the walk does not apply. */
function countAlong(events: TimelineEvent[], unit: Unit, buckets: readonly string[]): [string, number][] | undefined {
  if (buckets.length === 0) return undefined;
  const counts = new Array<number>(buckets.length).fill(0);
  const after = nextBucket(buckets[buckets.length - 1]!, unit);
  let b = 0;
  let previous = '';
  for (const e of events) {
    const lower = e.date!.lower;
    if (lower < previous || lower < buckets[0]! || lower >= after) return undefined;
    previous = lower;
    while (b + 1 < buckets.length && lower >= buckets[b + 1]!) b++;
    counts[b]!++;
  }
  return buckets.map((bucket, i) => [bucket, counts[i]!]);
}

/** Events per bucket, in the order the buckets first occur. */
function countByBucket(events: TimelineEvent[], unit: Unit): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) {
    const b = bucketStart(e.date!.lower, unit);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  return counts;
}

function tickLabel(bucket: string, unit: Unit, lang: string, first: boolean): string {
  if (unit !== 'month') return bucket.slice(0, 4);
  const month = Number(bucket.slice(5, 7));
  const name = new Intl.DateTimeFormat(lang, { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, 1)));
  return month === 1 || first ? `${name} ${bucket.slice(0, 4)}` : name;
}

function bucketLabel(bucket: string, unit: Unit, lang: string): string {
  if (unit === 'year') return bucket.slice(0, 4);
  if (unit === 'decade') return `${bucket.slice(0, 4)}–${Number(bucket.slice(0, 4)) + 9}`;
  return new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(Number(bucket.slice(0, 4)), Number(bucket.slice(5, 7)) - 1, 1)),
  );
}

function bucketStart(day: string, unit: Unit): string {
  if (unit === 'month') return `${day.slice(0, 7)}-01`;
  const year = Number(day.slice(0, 4));
  return `${String(unit === 'decade' ? year - (year % 10) : year).padStart(4, '0')}-01-01`;
}

function nextBucket(bucket: string, unit: Unit): string {
  const year = Number(bucket.slice(0, 4));
  if (unit === 'month') {
    const month = Number(bucket.slice(5, 7));
    return month === 12 ? `${String(year + 1).padStart(4, '0')}-01-01` : `${bucket.slice(0, 5)}${String(month + 1).padStart(2, '0')}-01`;
  }
  return `${String(year + (unit === 'decade' ? 10 : 1)).padStart(4, '0')}-01-01`;
}

function monthIndex(day: string): number {
  return Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
}

/** Days since 1970 of a `YYYY-MM-DD`, in UTC: dates never pass through the reader's time zone. */
function dayNumber(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;
}

function pct(value: number): string {
  return `${Number(value.toFixed(2))}%`;
}
