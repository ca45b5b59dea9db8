// Appending events to the text of an events file: a splice, not a rewrite. The new event's YAML is
// written in the style of the file (indentation, line endings, blank lines between events) and
// inserted whole; every other byte stays as it was. Pure: text in, text out.
import { Document, isScalar, type Scalar, visit } from 'yaml';
import type { ItemSpan } from './fast-yaml.js';
import type { EventInput } from './schema.js';
import { KNOWN_KEYS } from './vocabulary.js';

export interface EventsLayout {
  eol: '\n' | '\r\n';
  /** Spaces before the `-` of each event. */
  itemIndent: number;
  /** Column of an event's keys. */
  fieldIndent: number;
  /** Indentation of blocks nested in an event (a `sources:` list). */
  indentUnit: number;
  /** `sources:\n  - url` (true) or `sources:\n- url` (false). */
  indentSeq: boolean;
  /** Events are separated by a blank line. */
  blankBetween: boolean;
  spans: ItemSpan[];
  /** `events: []`: the offsets of the `[]` to replace by a block list. */
  emptyFlowList?: { start: number; end: number };
  finalNewline: boolean;
}

export type LayoutResult = { ok: true; layout: EventsLayout } | { ok: false; message: string; hint: string };

const FLOW_LIST_HINT =
  'write the events as a block list, one "- id: ..." item per event, e.g.\nevents:\n  - id: first-event\n    title: ...';

export function eventsLayout(text: string, spans: ItemSpan[] | undefined, eventCount: number): LayoutResult {
  const eol = /\r\n/.test(text.slice(0, text.indexOf('\n') + 1)) ? '\r\n' : '\n';
  const finalNewline = text.endsWith('\n');
  if (eventCount === 0) {
    const match = /^events:[ \t]*(\[[ \t]*\])/m.exec(text);
    if (!match) return { ok: false, message: 'cannot find where to add events in this file', hint: FLOW_LIST_HINT };
    const start = match.index + match[0].length - match[1]!.length;
    const unit = guessIndentUnit(text);
    return {
      ok: true,
      layout: {
        eol,
        itemIndent: unit,
        fieldIndent: unit + 2,
        indentUnit: unit,
        indentSeq: true,
        blankBetween: false,
        spans: [],
        emptyFlowList: { start, end: start + match[1]!.length },
        finalNewline,
      },
    };
  }
  if (!spans || spans.length !== eventCount) {
    return { ok: false, message: 'the events are not written as a block list, so a new event cannot be spliced in', hint: FLOW_LIST_HINT };
  }
  const first = spans[0]!;
  const firstLine = text.slice(first.start, lineEnd(text, first.start));
  const itemIndent = firstLine.length - firstLine.trimStart().length;
  const afterDash = firstLine.slice(itemIndent + 1);
  const fieldIndent = afterDash.trim() === '' ? itemIndent + 2 : itemIndent + 1 + (afterDash.length - afterDash.trimStart().length);
  const nested = nestedListStyle(text, spans);
  let separated = 0;
  const pairs = Math.min(spans.length - 1, 8);
  for (let k = 0; k < pairs; k++) if (/\n[ \t]*\r?\n/.test(`\n${text.slice(spans[k]!.end, spans[k + 1]!.start)}`)) separated++;
  return {
    ok: true,
    layout: {
      eol,
      itemIndent,
      fieldIndent,
      indentUnit: nested?.unit ?? Math.max(2, fieldIndent - itemIndent),
      indentSeq: nested?.indentSeq ?? true,
      blankBetween: pairs > 0 && separated * 2 > pairs,
      spans,
      finalNewline,
    },
  };
}

/** The YAML of one event as a list item of the file's events, ending with a line break. */
export function renderEventBlock(event: EventInput, layout: EventsLayout): string {
  const doc = new Document(orderedEvent(event));
  visit(doc, {
    Seq(_key, node) {
      // Lists of scalars (actors, tags, related) on one line, as events files usually write them.
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === 'summary' && isScalar(pair.value)) {
        const summary = pair.value as Scalar;
        if (String(summary.value).length > 60 && !/\n|^\s|\s$/.test(String(summary.value))) summary.type = 'BLOCK_FOLDED';
      }
    },
  });
  const yaml = doc.toString({
    indent: layout.indentUnit,
    indentSeq: layout.indentSeq,
    lineWidth: 80,
    minContentWidth: 20,
    flowCollectionPadding: false,
  });
  const lines = yaml.replace(/\n$/, '').split('\n');
  const dash = `${' '.repeat(layout.itemIndent)}-${' '.repeat(Math.max(1, layout.fieldIndent - layout.itemIndent - 1))}`;
  const body = ' '.repeat(layout.fieldIndent);
  return lines.map((line, i) => (i === 0 ? dash + line : line === '' ? '' : body + line)).join(layout.eol) + layout.eol;
}

/** New events and where they go: after the item at file index `after` (-1: before the first). */
export interface Insertion {
  after: number;
  events: EventInput[];
}

export interface SpliceResult {
  text: string;
  /** 1-based line of the first line of each inserted event, in the order given. */
  lines: number[];
}

export function spliceEvents(text: string, layout: EventsLayout, insertions: Insertion[]): SpliceResult {
  const { eol } = layout;
  const pieces: { at: number; replaceTo?: number; text: string; events: EventInput[]; blockOffsets: number[] }[] = [];
  for (const insertion of insertions) {
    const blocks = insertion.events.map((event) => renderEventBlock(event, layout));
    const separator = layout.blankBetween ? eol : '';
    if (layout.emptyFlowList) {
      // `events: []` becomes `events:` followed by a block list; the rest of that line stays.
      const { start, end } = layout.emptyFlowList;
      let from = start;
      while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
      const restEnd = lineEnd(text, end);
      const rest = text.slice(end, restEnd);
      const hasBreak = restEnd < text.length;
      const offsets: number[] = [];
      let inserted = rest + eol;
      for (const block of blocks) {
        if (offsets.length > 0) inserted += separator;
        offsets.push(inserted.length);
        inserted += block;
      }
      if (!hasBreak && !layout.finalNewline) inserted = inserted.slice(0, -eol.length);
      pieces.push({
        at: from,
        replaceTo: hasBreak ? restEnd + eol.length : restEnd,
        text: inserted,
        events: insertion.events,
        blockOffsets: offsets,
      });
      continue;
    }
    const offsets: number[] = [];
    let inserted = '';
    if (insertion.after >= 0) {
      const at = layout.spans[insertion.after]!.end;
      const atEnd = at === text.length && !text.endsWith('\n');
      if (atEnd) inserted += eol;
      for (const block of blocks) {
        inserted += separator;
        offsets.push(inserted.length);
        inserted += block;
      }
      if (atEnd) inserted = inserted.slice(0, -eol.length); // the file had no final newline: keep it so
      pieces.push({ at, text: inserted, events: insertion.events, blockOffsets: offsets });
    } else {
      for (const block of blocks) {
        offsets.push(inserted.length);
        inserted += block + separator;
      }
      pieces.push({ at: layout.spans[0]!.start, text: inserted, events: insertion.events, blockOffsets: offsets });
    }
  }
  pieces.sort((a, b) => a.at - b.at);
  let out = '';
  let cursor = 0;
  const starts: { event: EventInput; offset: number }[] = [];
  for (const piece of pieces) {
    out += text.slice(cursor, piece.at);
    piece.events.forEach((event, i) => {
      starts.push({ event, offset: out.length + piece.blockOffsets[i]! });
    });
    out += piece.text;
    cursor = piece.replaceTo ?? piece.at;
  }
  out += text.slice(cursor);
  const order = insertions.flatMap((i) => i.events);
  const lines = order.map((event) => lineOf(out, starts.find((s) => s.event === event)!.offset));
  return { text: out, lines };
}

/** Key order of DESIGN.md; only the keys the event has. */
export function orderedEvent(event: EventInput | Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = event as Record<string, unknown>;
  for (const key of KNOWN_KEYS.event) if (source[key] !== undefined) out[key] = source[key];
  // Keys the schema does not know stay too (after the known ones), so validation can name them.
  for (const key of Object.keys(source)) if (!(key in out)) out[key] = source[key];
  return out;
}

function nestedListStyle(text: string, spans: ItemSpan[]): { unit: number; indentSeq: boolean } | undefined {
  for (const span of spans.slice(0, 20)) {
    const lines = text.slice(span.start, span.end).split(/\r?\n/);
    for (let i = 0; i + 1 < lines.length; i++) {
      const match = /^( *)[a-z_]+:[ \t]*$/.exec(lines[i]!);
      if (!match) continue;
      const keyIndent = match[1]!.length;
      const next = /^( *)(- |-$)?/.exec(lines[i + 1]!)!;
      const nextIndent = next[1]!.length;
      if (next[2] && nextIndent === keyIndent) return { unit: 2, indentSeq: false };
      if (nextIndent > keyIndent) return { unit: nextIndent - keyIndent, indentSeq: true };
    }
  }
  return undefined;
}

function guessIndentUnit(text: string): number {
  const match = /^[a-z_]+:[ \t]*\r?\n( +)\S/m.exec(text);
  return match ? match[1]!.length : 2;
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  if (newline === -1) return text.length;
  return text[newline - 1] === '\r' ? newline - 1 : newline;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
