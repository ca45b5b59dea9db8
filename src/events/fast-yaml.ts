// A fast reader for the plain YAML that events files are made of: block mappings and sequences,
// one-line plain, quoted and flow scalars, folded and literal blocks, comments. It gives exactly the
// value js-yaml would (CORE schema), or `undefined` as soon as it meets anything else (anchors,
// tags, multi-line plain or quoted scalars, odd indentation, duplicate keys, ...), and the caller
// then parses with js-yaml. It never rejects a file: the full parser has the last word, and a
// differential property test (tests/unit/fast-yaml.test.ts) holds the two to the same values.
//
// Why: js-yaml spends most of `chronicle check` on a 10,000-event file; this reads it 3-5x faster.
import { jsYaml } from './js-yaml.js';

/** Thrown to leave the fast path; never escapes this module. */
const NOT_SUBSET = Symbol('not in the fast subset');

// Characters the fast path does not take on: controls js-yaml rejects, BOMs and line separators
// inside the text, tabs (whose rules differ by context), and a carriage return that does not end a
// line. Lone surrogates are caught by isWellFormed.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNUSUAL_CHARACTERS = /[\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F\uFEFF\uFFFE\uFFFF\u2028\u2029]/;
const LONE_CARRIAGE_RETURN = /\r(?!\n)/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const ESCAPED_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const RESERVED_KEYS = new Set(['__proto__', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
const FIRST_CHARS_OF_NON_STRINGS = new Set([...'~nNtTfF-+.0123456789']);
const YEAR_AND_DASH = /^\d{4}-/;
const FIRST_CHARS_OF_NUMBERS = new Set([...'-+.0123456789']);
const CORE_WORDS = new Map<string, null | boolean>([
  ['', null],
  ['~', null],
  ...['null', 'Null', 'NULL'].map((w) => [w, null] as const),
  ...['true', 'True', 'TRUE'].map((w) => [w, true] as const),
  ...['false', 'False', 'FALSE'].map((w) => [w, false] as const),
]);
const CORE_CHARACTERS = /^[0-9A-Za-z.+~-]*$/;
const SHORT_DECIMAL = /^\d{1,15}$/;
const BLOCK_SCALAR_HEADER = /^([|>])([+-])?(?: +#.*| *)$/;
/** Deeper blocks go to js-yaml, which refuses them past its own maxDepth with a located error. */
const MAX_BLOCK_DEPTH = 24;
/** Plain scalars up to this length share one value per spelling (FastReader.plain). */
const SHARED_PLAIN_LENGTH = 32;

/** Where one item of the top-level `events` list lies in the text: `start` is the start of its `-`
 * line, `end` is just past the line break of its last line of content. */
export interface ItemSpan {
  start: number;
  end: number;
}

/** An item of the top-level `events` list as the reader made it: its value and where its content ends
 * (`ItemSpan.end`), relative to the item's start. */
export interface ParsedItem {
  value: unknown;
  end: number;
}

/**
 * Lets the reader skip items it has read before (events/item-cache.ts). An item's text runs from the
 * start of its `-` line to the start of the next line that is neither blank nor a comment and not
 * indented past the dash (or the end of the text): the reader's value of an item depends on that
 * text only, so the same text always gives the same value.
 */
export interface ItemReuse {
  /** The part [from, to) of `text` that must still be checked for the characters the reader refuses
   * (all of it, unless the rest is shared with a text the reader took whole before). */
  unchecked?(text: string): [from: number, to: number];
  /** The reader took the whole of `text`. */
  accepted?(text: string): void;
  /** Items from `start` on that are the very items of an earlier load (same text, same place in the
   * list): their values and spans are pushed, and the position after the last is returned; -1 when
   * there is none. */
  run?(text: string, start: number, values: unknown[], spans: ItemSpan[]): number;
  /** The item whose text is `text.slice(start, end)`, as read before, or undefined. `seen`: just past
   * the last character that decided `end`. */
  reuse(text: string, start: number, end: number, seen: number): ParsedItem | undefined;
  /** The item just read (after a `reuse` miss for the same text). */
  read(text: string, start: number, end: number, item: ParsedItem): void;
}

export interface FastParse {
  value: unknown;
  eventSpans?: ItemSpan[];
}

/**
 * The value of `text`, or undefined when it is not in the subset. Every key and string of a value it
 * returns is free of the characters XML 1.0 cannot carry (the text has none, its escapes make none,
 * lone surrogates are refused), so validate.ts need not look for them value by value.
 */
export function parseFastYaml(text: string, items?: ItemReuse): FastParse | undefined {
  const [from, to] = items?.unchecked?.(text) ?? [0, text.length];
  const unchecked = from === 0 && to === text.length ? text : text.slice(from, to);
  if (UNUSUAL_CHARACTERS.test(unchecked) || !unchecked.isWellFormed()) return undefined;
  if (unchecked.includes('\r') && LONE_CARRIAGE_RETURN.test(unchecked)) return undefined;
  try {
    const reader = new FastReader(text, items);
    const value = reader.document();
    items?.accepted?.(text);
    return reader.eventSpans ? { value, eventSpans: reader.eventSpans } : { value };
  } catch (error) {
    if (error === NOT_SUBSET) return undefined;
    throw error;
  }
}

interface Line {
  start: number;
  end: number;
  indent: number;
}

class FastReader {
  private pos = 0;
  /** Just past the last line of content read so far: where an item of a list ends. */
  private contentEnd = 0;
  private spansWanted = false;
  /** Block collections open around the current line: bounded, so no input can exhaust the stack. */
  private depth = 0;
  eventSpans: ItemSpan[] | undefined;
  private line: Line | undefined;
  /** By indentation: the search for the line that ends an item (itemEnd). */
  private readonly itemEnds: RegExp[] = [];
  private readonly keys = new Map<string, string>();
  /** Short plain scalars (tags, actors, publishers, days) repeat across thousands of events: each
   * spelling becomes one shared string, so the events hold one copy instead of one each (fewer
   * objects for the garbage collector to copy as they survive; a value is a function of its text). */
  private readonly plainValues = new Map<string, unknown>();

  constructor(
    private readonly text: string,
    private readonly items?: ItemReuse,
  ) {}

  document(): unknown {
    const first = this.peek();
    if (!first) throw NOT_SUBSET; // empty: js-yaml gives no document, reported by the full path
    if (first.indent !== 0 || this.startsWith(first, '---') || this.startsWith(first, '%') || this.startsWith(first, '- '))
      throw NOT_SUBSET;
    const value = this.mapping(0);
    if (this.peek()) throw NOT_SUBSET; // something left over: let the full parser explain it
    return value;
  }

  /** The next line that holds content (blank lines and comment lines are skipped), without taking it. */
  private peek(): Line | undefined {
    if (this.line) return this.line;
    const text = this.text;
    while (this.pos < text.length) {
      const start = this.pos;
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      this.pos = end + 1;
      let lineEnd = end;
      if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
      let i = start;
      while (i < lineEnd && text.charCodeAt(i) === 32) i++;
      if (i < lineEnd && text.charCodeAt(i) === 9) throw NOT_SUBSET; // a tab in the indentation
      if (i === lineEnd || text.charCodeAt(i) === 35) continue; // blank or comment line
      this.line = { start, end: lineEnd, indent: i - start };
      return this.line;
    }
    return undefined;
  }

  private take(): Line {
    const line = this.peek();
    if (!line) throw NOT_SUBSET;
    this.line = undefined;
    this.contentEnd = Math.min(this.pos, this.text.length);
    return line;
  }

  /** A mapping key checked once per spelling: the same few keys come back on every event, and the
   * one kept (used as a property name, so V8 holds it internalised) replaces each fresh copy. */
  key(spelled: string): string {
    const known = this.keys.get(spelled);
    if (known !== undefined) return known;
    if (!KEY.test(spelled) || RESERVED_KEYS.has(spelled)) throw NOT_SUBSET;
    this.keys.set(spelled, spelled);
    return spelled;
  }

  /** A short plain scalar's value, resolved once per spelling (see plainValues). */
  plain(source: string): unknown {
    if (source.length > SHARED_PLAIN_LENGTH) return resolvePlain(source);
    let value = this.plainValues.get(source);
    if (value === undefined && !this.plainValues.has(source)) {
      value = resolvePlain(source);
      this.plainValues.set(source, value);
    }
    return value;
  }

  private startsWith(line: Line, prefix: string): boolean {
    return this.text.startsWith(prefix, line.start + line.indent);
  }

  /** A block mapping whose keys sit at `indent`; the first entry may start mid-line (`- key: value`). */
  private mapping(indent: number, firstEntryAt?: { line: Line; column: number }): Record<string, unknown> {
    if (++this.depth > MAX_BLOCK_DEPTH) throw NOT_SUBSET;
    const result: Record<string, unknown> = {};
    let pending = firstEntryAt;
    for (;;) {
      let line: Line;
      let column: number;
      if (pending) {
        ({ line, column } = pending);
        pending = undefined;
      } else {
        const next = this.peek();
        if (!next || next.indent < indent) break;
        if (next.indent > indent) throw NOT_SUBSET;
        line = this.take();
        column = line.start + indent;
      }
      const colon = this.text.indexOf(':', column);
      if (colon === -1 || colon > line.end) throw NOT_SUBSET;
      const key = this.key(this.text.slice(column, colon));
      if (Object.hasOwn(result, key)) throw NOT_SUBSET;
      const after = colon + 1;
      if (after < line.end && this.text.charCodeAt(after) !== 32) throw NOT_SUBSET;
      // The top-level `events` list: remember where each item lies, for `chronicle add`.
      this.spansWanted = indent === 0 && key === 'events';
      result[key] = this.value(line, after, indent, true);
      this.spansWanted = false;
    }
    this.depth--;
    return result;
  }

  /** A block sequence whose dashes sit at `indent`. */
  private sequence(indent: number): unknown[] {
    if (++this.depth > MAX_BLOCK_DEPTH) throw NOT_SUBSET;
    const result: unknown[] = [];
    const spans: ItemSpan[] | undefined = this.spansWanted ? [] : undefined;
    this.spansWanted = false;
    if (spans) this.eventSpans = spans;
    for (;;) {
      const next = this.peek();
      // A key at the same indentation ends a sequence that sits at its mapping's indentation.
      if (!next || next.indent < indent || (next.indent === indent && !this.isDash(next))) break;
      if (next.indent > indent) throw NOT_SUBSET;
      if (spans && this.items?.run) {
        // Whole runs of items an earlier load read from the same text, taken without reading them.
        const after = this.items.run(this.text, next.start, result, spans);
        if (after !== -1) {
          this.pos = after;
          this.line = undefined;
          this.contentEnd = spans[spans.length - 1]!.end;
          continue;
        }
      }
      const line = this.take();
      const dash = line.start + indent;
      const span = spans ? { start: line.start, end: 0 } : undefined;
      if (span) spans?.push(span);
      const found = span && this.items ? this.itemEnd(line, indent) : undefined;
      if (span && found) {
        const [itemEnd, seen] = found;
        const known = this.items?.reuse(this.text, span.start, itemEnd, seen);
        if (known) {
          result.push(known.value);
          span.end = span.start + known.end;
          this.pos = itemEnd;
          this.line = undefined;
          this.contentEnd = span.end;
          continue;
        }
        result.push(this.item(line, dash, indent));
        span.end = this.contentEnd;
        // Kept only when the reader stopped exactly where the item's text ends.
        if ((this.peek()?.start ?? this.text.length) === itemEnd)
          this.items?.read(this.text, span.start, itemEnd, { value: result[result.length - 1], end: span.end - span.start });
        continue;
      }
      result.push(this.item(line, dash, indent));
      if (span) span.end = this.contentEnd;
    }
    this.depth--;
    return result;
  }

  /** One item of a block sequence, from its dash line on. */
  private item(line: Line, dash: number, indent: number): unknown {
    let i = dash + 1;
    while (i < line.end && this.text.charCodeAt(i) === 32) i++;
    if (i === line.end) return this.nested(indent, false);
    const rest = this.text.slice(i, line.end);
    // `- key: value` opens a mapping whose keys align with this first key.
    if (/^[A-Za-z_][A-Za-z0-9_-]*:(?: |$)/.test(rest)) return this.mapping(i - line.start, { line, column: i });
    return this.value(line, dash + 1, indent, false);
  }

  /** Where the text of the item whose dash line is `line` ends (see ItemReuse): the start of the next
   * line that is not blank, not a comment and not indented past `indent`, or the end of the text (and
   * just past the character that decided it). A
   * line that starts with a tab also ends it (the reader refuses tabs in indentation anywhere). */
  private itemEnd(line: Line, indent: number): [end: number, seen: number] {
    // One native search instead of a loop over every character of the item.
    let pattern = this.itemEnds[indent];
    if (!pattern) {
      pattern = new RegExp(`\\n {0,${indent}}[^ \\n\\r#]`, 'g');
      this.itemEnds[indent] = pattern;
    }
    pattern.lastIndex = line.end;
    const match = pattern.exec(this.text);
    return match ? [match.index + 1, match.index + match[0].length] : [this.text.length, this.text.length + 1];
  }

  private isDash(line: Line): boolean {
    const at = line.start + line.indent;
    return this.text.charCodeAt(at) === 45 && (at + 1 === line.end || this.text.charCodeAt(at + 1) === 32);
  }

  /** The value after `key:` or `- `, from `from` to the end of the line, at parent indentation `indent`. */
  private value(line: Line, from: number, indent: number, inMapping: boolean): unknown {
    let i = from;
    while (i < line.end && this.text.charCodeAt(i) === 32) i++;
    if (i === line.end || this.text.charCodeAt(i) === 35) {
      if (i < line.end && this.text.charCodeAt(i - 1) !== 32) throw NOT_SUBSET;
      return this.nested(indent, inMapping);
    }
    const rest = this.text.slice(i, line.end);
    const first = rest.charCodeAt(0);
    let value: unknown;
    if (first === 34) value = this.endOfLine(rest, doubleQuoted(rest));
    else if (first === 39) value = this.endOfLine(rest, singleQuoted(rest));
    else if (first === 91 || first === 123) value = this.endOfLine(rest, flowCollection(rest, this));
    else if (first === 124 || first === 62) return this.blockScalar(rest, indent);
    else value = plainScalar(rest, this);
    // A more indented line after a one-line value would continue it (multi-line plain scalar) or be an error.
    const next = this.peek();
    if (next && next.indent > indent) throw NOT_SUBSET;
    return value;
  }

  /** What follows `key:` with nothing after it: a deeper block, a sequence at the same level, or null. */
  private nested(indent: number, inMapping: boolean): unknown {
    const next = this.peek();
    if (!next) return null;
    if (next.indent > indent) return this.isDash(next) ? this.sequence(next.indent) : this.mapping(next.indent);
    // YAML lets a mapping's sequence value sit at the mapping's own indentation.
    if (inMapping && next.indent === indent && this.isDash(next)) return this.sequence(indent);
    return null;
  }

  private endOfLine(rest: string, parsed: { value: unknown; length: number }): unknown {
    const tail = rest.slice(parsed.length);
    if (tail.trim() !== '' && !/^ +#/.test(tail)) throw NOT_SUBSET;
    return parsed.value;
  }

  /** `|` and `>` blocks with optional chomping; no explicit indentation, no more-indented folded lines. */
  private blockScalar(header: string, indent: number): string {
    const match = BLOCK_SCALAR_HEADER.exec(header);
    if (!match) throw NOT_SUBSET;
    const literal = match[1] === '|';
    const chomping = match[2];
    const text = this.text;
    const lines: string[] = [];
    let contentIndent = -1;
    this.line = undefined; // block content is read raw, comments and blank lines included
    while (this.pos < text.length) {
      const start = this.pos;
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      let lineEnd = end;
      if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
      let i = start;
      while (i < lineEnd && text.charCodeAt(i) === 32) i++;
      const spaces = i - start;
      if (i === lineEnd) {
        if (contentIndent !== -1 ? spaces > contentIndent : spaces > indent) throw NOT_SUBSET; // spaces that may be content
        lines.push('');
        this.pos = end + 1;
        continue;
      }
      if (contentIndent === -1) {
        if (spaces <= indent) break;
        contentIndent = spaces;
      }
      if (spaces < contentIndent) break;
      if (text.charCodeAt(i) === 9 || (spaces > contentIndent && !literal)) throw NOT_SUBSET;
      lines.push(text.slice(start + contentIndent, lineEnd));
      this.pos = end + 1;
      this.contentEnd = Math.min(this.pos, text.length);
    }
    let trailing = 0;
    while (lines.length > 0 && lines[lines.length - 1] === '') {
      lines.pop();
      trailing++;
    }
    if (lines.length === 0) throw NOT_SUBSET; // an empty block: rare, and its chomping rules are subtle
    let body: string;
    if (literal) {
      body = lines.join('\n');
    } else if (!lines.includes('')) {
      // The common folded block, lines without blank ones between them: one join makes one flat
      // string, where `+=` made a rope of two nodes per line that every event kept (and the GC
      // copied) until a renderer flattened it (at 100,000 events, a million objects).
      body = lines.join(' ');
    } else {
      // Leading empty lines stay line breaks; after that, a single break folds to a space.
      let first = 0;
      while (lines[first] === '') first++;
      body = '\n'.repeat(first) + lines[first]!;
      let emptyRun = 0;
      for (let n = first + 1; n < lines.length; n++) {
        const line = lines[n]!;
        if (line === '') {
          emptyRun++;
          continue;
        }
        body += emptyRun > 0 ? '\n'.repeat(emptyRun) : ' ';
        body += line;
        emptyRun = 0;
      }
    }
    if (chomping === '-') return body;
    if (chomping === '+') return `${body}\n${'\n'.repeat(trailing)}`;
    return `${body}\n`;
  }
}

/** A plain scalar in block context, resolved by the CORE schema exactly as js-yaml does. */
/** What the scalar functions ask of the reader: values and keys shared by spelling. */
interface Spellings {
  plain(source: string): unknown;
  key(spelled: string): string;
}

function plainScalar(rest: string, spellings: Spellings): unknown {
  const first = rest.charCodeAt(0);
  // Indicators that start something else (or an error): - ? : followed by a space, and the rest.
  if ('[]{}#&*!|>\'"%@`,'.includes(rest[0]!)) throw NOT_SUBSET;
  if ((first === 45 || first === 63 || first === 58) && (rest.length === 1 || rest.charCodeAt(1) === 32)) throw NOT_SUBSET;
  let end = rest.length;
  const comment = rest.indexOf(' #');
  if (comment !== -1) end = comment;
  const source = rest.slice(0, end).trimEnd();
  if (source.includes(': ') || source.endsWith(':') || source.includes('\t')) throw NOT_SUBSET;
  return spellings.plain(source);
}

function resolvePlain(source: string): unknown {
  if (source !== '' && !FIRST_CHARS_OF_NON_STRINGS.has(source[0]!)) return source;
  // The common cases, resolved as the CORE schema does without loading js-yaml. A string: four digits
  // and a dash (every date form; no CORE int or float goes on after four digits with a dash), or a
  // character that no null, bool, int or float is written with. A number: a short decimal integer
  // (CORE int, parseInt base 10, which Number equals below 16 digits).
  if (YEAR_AND_DASH.test(source) || !CORE_CHARACTERS.test(source)) return source;
  // Starting with a letter or `~` (or empty), only CORE's null and bool words are not strings.
  if (source === '' || !FIRST_CHARS_OF_NUMBERS.has(source[0]!)) return CORE_WORDS.has(source) ? CORE_WORDS.get(source) : source;
  if (SHORT_DECIMAL.test(source)) return Number(source);
  const { CORE_SCHEMA, NOT_RESOLVED } = jsYaml();
  for (const tag of CORE_SCHEMA.implicitScalarTags) {
    const value = tag.resolve(source, false, tag.tagName);
    if (value !== NOT_RESOLVED) return value;
  }
  return source;
}

function doubleQuoted(rest: string): { value: string; length: number } {
  let i = 1;
  while (i < rest.length) {
    const c = rest.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 34) break;
    else i++;
  }
  if (i >= rest.length) throw NOT_SUBSET; // continues on the next line
  const inner = rest.slice(1, i);
  if (!jsonEscapesOnly(inner)) throw NOT_SUBSET;
  const value = JSON.parse(`"${inner}"`) as string;
  // An escape that makes a character XML cannot carry (`"\b"`, `"\u0001"`) goes to js-yaml and the full
  // character check, so that every value this reader makes is free of them (see parseFastYaml).
  if (inner.includes('\\') && ESCAPED_FORBIDDEN.test(value)) throw NOT_SUBSET;
  return { value, length: i + 1 };
}

/**
 * Whether a double-quoted body means the same in JSON: only JSON's escapes, no surrogate escapes,
 * no tab. A loop, not a regex: a regex of alternatives overflows the stack on megabytes of text.
 */
function jsonEscapesOnly(inner: string): boolean {
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charCodeAt(i);
    if (c === 9 || c === 34) return false;
    if (c !== 92) continue;
    const next = inner[i + 1];
    if (next !== undefined && '"\\/bfnrt'.includes(next)) {
      i++;
      continue;
    }
    if (next !== 'u' || !/^[0-9a-fA-F]{4}$/.test(inner.slice(i + 2, i + 6)) || /^[dD][89abAB-fF]/.test(inner.slice(i + 2, i + 4)))
      return false;
    i += 5;
  }
  return true;
}

function singleQuoted(rest: string): { value: string; length: number } {
  let i = 1;
  while (i < rest.length) {
    if (rest.charCodeAt(i) === 39) {
      if (rest.charCodeAt(i + 1) === 39) i += 2;
      else break;
    } else i++;
  }
  if (i >= rest.length) throw NOT_SUBSET;
  return { value: rest.slice(1, i).replaceAll("''", "'"), length: i + 1 };
}

/** A one-line `[a, b]` of scalars or `{ k: v, ... }` of scalar values; nothing nested. */
function flowCollection(rest: string, spellings: Spellings, nested = false): { value: unknown; length: number } {
  const isMap = rest[0] === '{';
  const close = isMap ? '}' : ']';
  const items: unknown[] = [];
  const map: Record<string, unknown> = {};
  let i = 1;
  for (;;) {
    while (rest[i] === ' ') i++;
    if (rest[i] === close) {
      i++;
      break;
    }
    let key: string | undefined;
    if (isMap) {
      const colon = rest.indexOf(':', i);
      if (colon === -1) throw NOT_SUBSET;
      key = spellings.key(rest.slice(i, colon));
      if (Object.hasOwn(map, key) || rest[colon + 1] !== ' ') throw NOT_SUBSET;
      i = colon + 1;
      while (rest[i] === ' ') i++;
    }
    let item: unknown;
    const c = rest[i];
    if (c === '[' || c === '{') {
      // One level of nesting, as in `sources: [{ publisher: Reuters }]`; deeper goes to js-yaml.
      if (nested) throw NOT_SUBSET;
      const inner = flowCollection(rest.slice(i), spellings, true);
      item = inner.value;
      i += inner.length;
      while (rest[i] === ' ') i++;
    } else if (c === '"' || c === "'") {
      const quoted = c === '"' ? doubleQuoted(rest.slice(i)) : singleQuoted(rest.slice(i));
      item = quoted.value;
      i += quoted.length;
      while (rest[i] === ' ') i++;
    } else {
      let j = i;
      while (j < rest.length && rest[j] !== ',' && rest[j] !== close) j++;
      if (j >= rest.length) throw NOT_SUBSET;
      const source = rest.slice(i, j).trim();
      if (source === '' || /[[\]{}#&*!|>'"%@`]/.test(source[0]!) || /: |:$| #|[[\]{}]/.test(source)) throw NOT_SUBSET;
      if ((source[0] === '-' || source[0] === '?' || source[0] === ':') && (source.length === 1 || source[1] === ' ')) throw NOT_SUBSET;
      item = spellings.plain(source);
      i = j;
    }
    if (isMap) map[key!] = item;
    else items.push(item);
    if (rest[i] === ',') {
      i++;
      continue;
    }
    if (rest[i] === close) {
      i++;
      break;
    }
    throw NOT_SUBSET;
  }
  return { value: isMap ? map : items, length: i };
}
