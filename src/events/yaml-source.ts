// Reads YAML with js-yaml 5's event parser. One parse gives both the value (for the fast, valid path)
// and an event stream with source offsets, which we walk only when something must be located. So a
// valid file never pays for positions, a bad one gets exact line and column, and there is a single
// parser: the fast path and the locating path cannot disagree about what a file means.
import type { YAMLException, Event as YamlEvent } from 'js-yaml';
import { type ItemReuse, type ItemSpan, parseFastYaml } from './fast-yaml.js';
import { jsYaml } from './js-yaml.js';
import { formatPath, type PathSegment } from './path.js';

export interface YamlSource {
  text: string;
  value: unknown;
  /** Where each item of the `events` list lies, when the fast reader could tell. */
  eventSpans?: ItemSpan[];
  /** Read by the fast reader: no value holds a character XML cannot carry (see parseFastYaml). */
  clean?: boolean;
  /** js-yaml's event stream with offsets; made on first use, since only locating problems needs it. */
  readonly events: YamlEvent[];
}

export interface YamlFailure {
  offset: number;
  message: string;
  hint: string;
}

/** Aliases may repeat a node, but not explode it: a file may grow at most this much through them. */
const MAX_ALIAS_EXPANSION = 100_000;

/** `items`: events read before, which the fast reader may reuse instead of reading them again. */
export function parseYamlSource(text: string, items?: ItemReuse): { ok: true; source: YamlSource } | { ok: false; failure: YamlFailure } {
  const fast = parseFastYaml(text, items);
  if (fast) return { ok: true, source: lazySource(text, fast.value, fast.eventSpans) };
  return parseWithEvents(text);
}

function lazySource(text: string, value: unknown, eventSpans: ItemSpan[] | undefined): YamlSource {
  let events: YamlEvent[] | undefined;
  return {
    text,
    value,
    ...(eventSpans ? { eventSpans } : {}),
    clean: true,
    get events() {
      events ??= jsYaml().parseEvents(text, { maxDepth: 64 });
      return events;
    },
  };
}

/** The full YAML 1.2 parser: every file the fast reader declines, and the exact errors. */
function parseWithEvents(text: string): { ok: true; source: YamlSource } | { ok: false; failure: YamlFailure } {
  const { CORE_SCHEMA, constructFromEvents, EVENT_ID, parseEvents, YAMLException } = jsYaml();
  let events: YamlEvent[];
  let documents: unknown[];
  try {
    events = parseEvents(text, { maxDepth: 64 });
    documents = constructFromEvents(events, { source: text, schema: CORE_SCHEMA, maxTotalMergeKeys: 1_000 });
  } catch (error) {
    if (error instanceof YAMLException) return { ok: false, failure: describeYamlError(error, text) };
    throw error;
  }
  if (documents.length === 0) {
    return {
      ok: false,
      failure: {
        offset: 0,
        message: 'the file is empty',
        hint: 'an events file is a mapping with at least `title:` and `events:`, e.g.\ntitle: My timeline\nevents: []',
      },
    };
  }
  if (documents.length > 1) {
    return {
      ok: false,
      failure: {
        offset: secondDocumentOffset(events),
        message: 'the file holds more than one YAML document',
        hint: 'keep one document: remove the `---` line and merge what follows into the first document',
      },
    };
  }
  const value = documents[0];
  if (events.some((e) => e.type === EVENT_ID.ALIAS) && expandedSize(value, new Map(), 0) > MAX_ALIAS_EXPANSION) {
    const firstAlias = events.find((e) => e.type === EVENT_ID.ALIAS);
    return {
      ok: false,
      failure: {
        offset: firstAlias && 'anchorStart' in firstAlias ? Math.max(firstAlias.anchorStart - 1, 0) : 0,
        message: `aliases expand this file to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en')} nodes`,
        hint: 'this looks like an alias bomb ("billion laughs"); write the data out instead of nesting aliases',
      },
    };
  }
  return { ok: true, source: { text, value, events } };
}

/** Where a node starts, and for a mapping value, where its key starts. */
export interface NodePosition {
  value: number;
  key?: number;
}

/**
 * Finds the source offsets of the given paths (as `formatPath` writes them) in one walk of the
 * event stream. Paths that do not exist are left out: the caller falls back to their parent.
 */
export function locatePaths(source: YamlSource, wanted: ReadonlySet<string>): Map<string, NodePosition> {
  const { EVENT_ID, getScalarValue } = jsYaml();
  const found = new Map<string, NodePosition>();
  const stack: Frame[] = [];
  let skipDepth = 0; // inside a complex (collection) key, whose nodes have no path of ours
  for (const event of source.events) {
    if (event.type === EVENT_ID.DOCUMENT) {
      stack.push({ kind: 'doc', path: [], index: 0, expectKey: false });
      continue;
    }
    if (event.type === EVENT_ID.POP) {
      if (skipDepth > 0) skipDepth--;
      else stack.pop();
      continue;
    }
    const isCollection = event.type === EVENT_ID.SEQUENCE || event.type === EVENT_ID.MAPPING;
    if (skipDepth > 0) {
      if (isCollection) skipDepth++;
      continue;
    }
    const frame = stack.at(-1);
    if (!frame) continue;
    let path: PathSegment[];
    if (frame.kind === 'map') {
      if (frame.expectKey) {
        frame.expectKey = false;
        if (event.type === EVENT_ID.SCALAR) {
          const key = getScalarValue(source.text, event);
          frame.pendingKey = key;
          frame.pendingKeyOffset = nodeStart(event);
        } else {
          frame.pendingKey = undefined;
          if (isCollection) skipDepth = 1;
        }
        continue;
      }
      frame.expectKey = true;
      if (frame.pendingKey === undefined) {
        if (isCollection) skipDepth = 1;
        continue;
      }
      path = [...frame.path, frame.pendingKey];
      const text = formatPath(path);
      if (wanted.has(text)) found.set(text, { value: nodeStart(event), key: frame.pendingKeyOffset });
    } else {
      path = frame.kind === 'seq' ? [...frame.path, frame.index++] : frame.path;
      const text = formatPath(path);
      if (wanted.has(text)) found.set(text, { value: nodeStart(event) });
    }
    if (event.type === EVENT_ID.SEQUENCE) stack.push({ kind: 'seq', path, index: 0, expectKey: false });
    if (event.type === EVENT_ID.MAPPING) stack.push({ kind: 'map', path, index: 0, expectKey: true });
  }
  return found;
}

interface Frame {
  kind: 'doc' | 'seq' | 'map';
  path: PathSegment[];
  index: number;
  expectKey: boolean;
  pendingKey?: string;
  pendingKeyOffset?: number;
}

function nodeStart(event: YamlEvent): number {
  if ('anchorStart' in event && event.anchorStart !== -1) return event.anchorStart - 1; // the `&` or `*`
  if ('tagStart' in event && event.tagStart !== -1) return event.tagStart;
  if ('valueStart' in event) {
    // Quoted scalars start at their quote, block scalars at their `|` or `>` line: point there.
    const quoted = event.style === 2 || event.style === 3;
    return quoted ? Math.max(event.valueStart - 1, 0) : event.valueStart;
  }
  if ('start' in event) return event.start;
  return 0;
}

function secondDocumentOffset(events: YamlEvent[]): number {
  const { EVENT_ID } = jsYaml();
  let seen = 0;
  for (const event of events) {
    if (event.type === EVENT_ID.DOCUMENT) seen++;
    else if (seen === 2) return nodeStart(event);
  }
  return 0;
}

/** Counts nodes as if every alias were written out, visiting each shared node once (memo). */
function expandedSize(value: unknown, memo: Map<object, number>, depth: number): number {
  if (value === null || typeof value !== 'object' || depth > 200) return 1;
  const known = memo.get(value);
  if (known !== undefined) return known;
  let size = 1;
  const children = Array.isArray(value) ? value : Object.values(value);
  for (const child of children) {
    size += expandedSize(child, memo, depth + 1);
    if (size > MAX_ALIAS_EXPANSION) break;
  }
  memo.set(value, size);
  return size;
}

const YAML_HINTS: [RegExp, (text: string, offset: number) => Partial<YamlFailure>][] = [
  [/tab characters/, () => ({ message: 'a tab is used for indentation', hint: 'indent with spaces: YAML does not allow tabs' })],
  [
    /duplicated mapping key/,
    (text, offset) => ({
      message: `the key "${keyAt(text, offset)}" appears twice in the same mapping`,
      hint: 'each key may appear once: remove one of them or merge their values',
    }),
  ],
  [/null byte/, () => ({ message: 'the file contains a NUL byte', hint: 'this is not a text file; save it as UTF-8 text' })],
  [
    /non-printable/,
    (text, offset) => {
      const code = text.codePointAt(offset) ?? 0;
      const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      return {
        message: `the file contains the control character ${name}, which YAML does not allow`,
        hint: `remove ${name}: it is invisible and usually comes from a copy-paste; tabs and line breaks are fine`,
      };
    },
  ],
  [/nesting exceeded/, () => ({ message: 'the file nests too deeply', hint: 'an events file needs only a few levels of nesting' })],
  [/unknown tag|unknown .*tag/i, () => ({ hint: 'remove the `!tag`: an events file uses plain YAML values only' })],
  [/undeclared|unidentified alias|unknown alias/i, () => ({ hint: 'define the anchor (`&name`) before using the alias (`*name`)' })],
];

function describeYamlError(error: YAMLException, text: string): YamlFailure {
  const offset = error.mark?.position ?? 0;
  const reason = error.reason || 'the YAML cannot be read';
  const base: YamlFailure = {
    offset,
    message: `YAML syntax error: ${reason}`,
    hint: 'check the indentation and the quoting near here; quote a value that contains ": " or starts with a special character such as @, `, [ or {',
  };
  for (const [pattern, describe] of YAML_HINTS) {
    if (pattern.test(reason)) return { ...base, ...describe(text, offset) };
  }
  return base;
}

function keyAt(text: string, offset: number): string {
  const rest = text.slice(offset, offset + 200);
  const match = /^["']?([^"':\r\n]*)/.exec(rest);
  return match?.[1]?.trim() ?? '';
}

/**
 * Where each item of the top-level `events` block list lies (see fast-yaml's ItemSpan), from the
 * event stream: for files the fast reader declines. `chronicle add` verifies every splice by
 * parsing the result, so an unusual layout can make it refuse, never corrupt.
 */
export function eventItemSpans(source: YamlSource): ItemSpan[] | undefined {
  if (source.eventSpans) return source.eventSpans;
  const { EVENT_ID, getScalarValue } = jsYaml();
  const { text, events } = source;
  let depth = 0;
  let i = 0;
  // Find the root mapping's key `events` followed by a block sequence.
  for (; i < events.length; i++) {
    const event = events[i]!;
    if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) depth++;
    else if (event.type === EVENT_ID.POP) depth--;
    else if (event.type === EVENT_ID.SCALAR && depth === 1 && getScalarValue(text, event) === 'events') {
      const next = events[i + 1];
      if (next?.type !== EVENT_ID.SEQUENCE || next.style !== 1) return undefined;
      i += 2;
      break;
    }
  }
  if (i >= events.length) return undefined;
  const spans: ItemSpan[] = [];
  let itemDepth = 0;
  let current: { start: number; last: number } | undefined;
  for (; i < events.length; i++) {
    const event = events[i]!;
    if (itemDepth === 0) {
      if (event.type === EVENT_ID.POP) break; // the end of the events list
      current = { start: lineStart(text, nodeStart(event)), last: nodeStart(event) };
    }
    if (event.type === EVENT_ID.SCALAR) current!.last = Math.max(current!.last, event.valueEnd - 1);
    if (event.type === EVENT_ID.ALIAS) current!.last = Math.max(current!.last, event.anchorEnd - 1);
    if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) itemDepth++;
    else if (event.type === EVENT_ID.POP) itemDepth--;
    if (itemDepth === 0 && current) {
      spans.push({ start: current.start, end: lineEndAfter(text, current.last) });
      current = undefined;
    }
  }
  return spans;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', Math.max(offset, 0));
  return newline === -1 ? text.length : newline + 1;
}
