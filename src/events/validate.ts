// Validation of the raw YAML value: the zod schema for structure, then the checks that need the whole
// file (dates that exist, references, unique ids, http links). Returns findings with data paths and
// no positions; load.ts locates them. Prints nothing.
import type { z } from 'zod';
import type { Severity } from '../errors.js';
import { type ErrorCode, type ErrorData, renderMessage } from '../errors-data.js';
import { parseEventDate } from './dates.js';
import { formatPath, type PathSegment } from './path.js';
import { schemas } from './schema.js';
import { fitsSchema } from './shape.js';
import { didYouMean } from './suggest.js';
import { DAY_PATTERN, ENTITY_KINDS, FORWARD_STATUSES, IMAGE_TYPES, KNOWN_KEYS, SLUG_PATTERN } from './vocabulary.js';

export interface Finding {
  severity: Severity;
  code: string;
  path: PathSegment[];
  /** Point at the key of a mapping entry (unknown keys) rather than its value. */
  at?: 'key';
  message: string;
  hint?: string;
}

type Raw = Record<string, unknown>;

/** What the caller knows already, so that validation can skip work (never change its verdict). */
export interface KnownValid {
  /** No key or string holds a character XML cannot carry (the fast reader's values: see parseFastYaml). */
  clean?: boolean;
  /** Event i has the very text of an event that passed its own checks before (events/item-cache.ts)
   * when `reused[i]`: only the checks that involve other parts of the file run for it. (A list, not a
   * function: two calls per event cost a rebuild at 10,000 events some 5 ms.) */
  reused?: readonly boolean[];
}

/**
 * `knownIds`: ids of events that exist besides those in `value.events` (when `chronicle add`
 * validates only its new events against a file already checked).
 */
export function validateEventsValue(value: unknown, knownIds?: ReadonlySet<string>, known: KnownValid = {}): Finding[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'a list' : value === null ? 'empty' : `a single value (${preview(value)})`;
    return [problem('not-a-mapping', [], { what })];
  }
  const findings: Finding[] = [];
  const reused = Array.isArray((value as Raw).events) ? known.reused : undefined;
  // The schema looks only at the events not known to pass it (their indexes shift: see below).
  const checked = reused ? { ...(value as Raw), events: freshOnes((value as Raw).events as unknown[], reused) } : value;
  // zod (loaded on first use) only for what the hand-written shape check cannot vouch for.
  const result = fitsSchema(checked) ? undefined : compiledSchema().safeParse(checked);
  if (result && !result.success) {
    for (const issue of result.error.issues) findings.push(...describeIssue(issue, checked as Raw));
  }
  findings.push(...checkWholeFile(value as Raw, knownIds, reused));
  if (!known.clean) findings.push(...checkCharacters(value));
  // A file with errors is reported exactly as without reused events (paths included): validate again.
  if (findings.length > 0 && reused) return validateEventsValue(value, knownIds, { ...(known.clean ? { clean: true } : {}) });
  return dedupe(findings);
}

// zod compiles the schema into one specialised function: about twice as fast on big files.
let compiled: ReturnType<typeof schemas>['EventsFileSchema'] | undefined;
function compiledSchema(): ReturnType<typeof schemas>['EventsFileSchema'] {
  const { z, EventsFileSchema } = schemas();
  compiled ??= z.compile(EventsFileSchema);
  return compiled;
}

// ---- zod issues -> findings ------------------------------------------------------------------------

function describeIssue(issue: z.core.$ZodIssue, root: Raw): Finding[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  const field = fieldName(path);
  const value = valueAt(root, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(path);
      return issue.keys.map((key) => {
        const suggestion = didYouMean(key, known);
        return problem('unknown-key', [...path, key], { key, where: where(path), known, ...(suggestion ? { suggestion } : {}) }, 'key');
      });
    }
    case 'invalid_type': {
      if (value === undefined) {
        const hint = REQUIRED_HINTS[field];
        return [problem('missing', path.slice(0, -1), { field, where: where(path.slice(0, -1)), ...(hint ? { hint } : {}) })];
      }
      const hint = TYPE_HINTS[field];
      return [
        problem('wrong-type', path, {
          field,
          expected: describeExpected(issue.expected, field),
          actual: describeValue(value),
          ...(hint ? { hint } : {}),
        }),
      ];
    }
    case 'invalid_value':
      return [enumFinding(path, field, value, issue.values.map(String))];
    case 'invalid_union':
      if (field === 'importance') return [enumFinding(path, field, value, ['1', '2', '3'])];
      return [describeFormat(path, field, value)];
    case 'invalid_format':
      return [describeFormat(path, field, value)];
    case 'invalid_key': {
      const key = String(path.at(-1));
      return [problem('invalid-key', path, { key, where: where(path.slice(0, -1)) }, 'key')];
    }
    case 'too_small':
      return [problem('empty', path, { field })];
    case 'too_big': {
      const limit = Number(issue.maximum);
      if (typeof value === 'string') return [problem('too-long', path, { field, length: value.length, limit })];
      if (Array.isArray(value)) return [problem('too-many', path, { field, count: value.length, limit })];
      return [problem('too-big', path, { field })];
    }
    default:
      return [problem('invalid', path, { field, detail: issue.message })];
  }
}

function enumFinding(path: PathSegment[], field: string, value: unknown, allowed: string[]): Finding {
  const suggestion = didYouMean(typeof value === 'string' ? value : String(value), allowed);
  return problem('invalid-value', path, { field, value: describeValue(value), allowed, ...(suggestion ? { suggestion } : {}) });
}

/** A string that does not have the shape its field needs: say which shape, with an example. */
function describeFormat(path: PathSegment[], field: string, value: unknown): Finding {
  if (field === 'date') {
    const parsed = parseEventDate(value);
    if (!parsed.ok) return dateProblem(path, parsed);
    return problem('invalid-date', path, { value: describeValue(value) });
  }
  if (field === 'added' || field === 'as_of') return problem('invalid-date', path, { value: describeValue(value), day: true });
  if (URL_FIELDS.has(field)) return urlFinding(path, String(value));
  if ((field === 'from' || field === 'reply_to') && typeof value === 'string' && !/[\r\n]/.test(value))
    return problem('invalid-address', path, { value: describeValue(value) });
  if (SLUG_FIELDS.has(field)) return problem('invalid-id', path, { value: describeValue(value), field });
  if (typeof value === 'string' && /[\r\n]/.test(value)) return problem('line-break', path, { field });
  return problem('invalid', path, { field, detail: `${describeValue(value)} is not a valid ${field}` });
}

const URL_FIELDS = new Set(['url', 'base_url', 'unsubscribe_url', 'link']);
const SLUG_FIELDS = new Set(['id', 'claimed_by', 'actors', 'tags', 'related']);
const REQUIRED_HINTS: Record<string, string> = {
  title: 'add a one-line title, e.g. title: DeepSeek releases R1',
  events: 'add the list of events, even an empty one: events: []',
  id: 'add a stable slug, e.g. id: deepseek-r1-release',
  name: 'add the name to show, e.g. name: DeepSeek',
  kind: `add the kind, one of: ${ENTITY_KINDS.join(', ')}`,
  alt: 'describe the picture for readers who cannot see it, e.g. alt: "The R1 logo"; alt: "" marks a decorative picture',
  src: 'add the picture: src: pictures/r1.png (beside the events file) or src: https://...',
};
const TYPE_HINTS: Record<string, string> = {
  events: 'events is a list: each event starts with "- " on its own line',
  actors: 'write a list of entity keys: actors: [deepseek, openai]',
  tags: 'write a list of tag keys: tags: [models, open-source]',
  related: 'write a list of event ids: related: [openai-o1-release]',
  sources: 'write a list: each source starts with "- " and has url: and/or publisher:',
  entities: 'entities is a mapping from key to { name, kind }',
  importance: 'importance is 1 (headline), 2 (major) or 3 (minor)',
};

// ---- whole-file checks ---------------------------------------------------------------------------

/** The events not reused. */
function freshOnes(events: unknown[], reused: readonly boolean[]): unknown[] {
  const fresh: unknown[] = [];
  for (let i = 0; i < events.length; i++) if (reused[i] !== true) fresh.push(events[i]);
  return fresh;
}

function checkWholeFile(file: Raw, knownIds: ReadonlySet<string> = new Set(), reused?: readonly boolean[]): Finding[] {
  const findings: Finding[] = [];
  const entities = isRecord(file.entities) ? file.entities : undefined;
  const tagVocabulary = isRecord(file.tags) ? file.tags : undefined;
  // The registries' own keys as sets: every reference of every event is looked up (a Set is faster
  // than Object.hasOwn on objects of every shape).
  const entityKeys = entities ? new Set(Object.keys(entities)) : undefined;
  const tagKeys = tagVocabulary ? new Set(Object.keys(tagVocabulary)) : undefined;
  if (typeof file.as_of === 'string' && DAY_PATTERN.test(file.as_of)) checkDate(findings, ['as_of'], file.as_of);
  checkUrl(findings, ['base_url'], file.base_url);
  if (isRecord(file.newsletter)) checkUrl(findings, ['newsletter', 'unsubscribe_url'], file.newsletter.unsubscribe_url);
  if (entities)
    for (const [key, entity] of Object.entries(entities)) if (isRecord(entity)) checkUrl(findings, ['entities', key, 'url'], entity.url);
  if (!Array.isArray(file.events)) return findings;

  const events = file.events as unknown[];
  const firstIndexOfId = new Map<string, number>();
  for (let i = 0; i < events.length; i++) {
    const id = (events[i] as Raw | undefined)?.id;
    if (typeof id !== 'string') continue;
    const first = firstIndexOfId.get(id);
    if (knownIds.has(id)) findings.push(problem('duplicate-id', ['events', i, 'id'], { id }));
    else if (first === undefined) firstIndexOfId.set(id, i);
    else findings.push(problem('duplicate-id', ['events', i, 'id'], { id, first }));
  }

  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (!isRecord(event)) continue;
    const own = reused?.[i] !== true; // the checks of the event alone, already passed by a reused one
    if (own && event.date === undefined) {
      const status = typeof event.status === 'string' ? event.status : 'happened';
      if (!FORWARD_STATUSES.has(status)) findings.push(problem('missing-date', eventPath(i), { status }));
    } else if (own && (typeof event.date === 'string' || typeof event.date === 'number')) {
      checkDate(findings, () => eventPath(i, 'date'), event.date);
    }
    if (own && typeof event.added === 'string' && DAY_PATTERN.test(event.added))
      checkDate(findings, () => eventPath(i, 'added'), event.added);
    // References: paths are made only for a finding (this runs for every event of every load).
    if (typeof event.claimed_by === 'string' && !entityKeys?.has(event.claimed_by))
      checkReference(findings, eventPath(i, 'claimed_by'), event.claimed_by, entities, 'entity');
    checkReferences(findings, i, 'actors', event.actors, entities, entityKeys, 'entity');
    if (tagVocabulary) checkReferences(findings, i, 'tags', event.tags, tagVocabulary, tagKeys, 'tag');
    if (Array.isArray(event.related)) {
      for (let j = 0; j < event.related.length; j++) {
        const id: unknown = event.related[j];
        if (typeof id === 'string' && !firstIndexOfId.has(id) && !knownIds.has(id) && SLUG_PATTERN.test(id)) {
          const suggestion = didYouMean(id, firstIndexOfId.keys());
          findings.push(problem('unknown-event', eventPath(i, 'related', j), { id, ...(suggestion ? { suggestion } : {}) }));
        }
      }
    }
    if (!own) continue;
    if (Array.isArray(event.sources)) {
      for (let j = 0; j < event.sources.length; j++) {
        const source: unknown = event.sources[j];
        if (!isRecord(source)) continue;
        if (source.url === undefined && source.publisher === undefined)
          findings.push(problem('source-without-origin', eventPath(i, 'sources', j), {}));
        if (typeof source.url === 'string' && !PLAIN_HTTP_URL.test(source.url))
          checkUrl(findings, eventPath(i, 'sources', j, 'url'), source.url);
        if (typeof source.date === 'string' || typeof source.date === 'number')
          checkDate(findings, () => eventPath(i, 'sources', j, 'date'), source.date);
      }
    }
    if (isRecord(event.image)) {
      if (typeof event.image.src === 'string') checkImageSource(findings, eventPath(i, 'image', 'src'), event.image.src);
      checkUrl(findings, eventPath(i, 'image', 'link'), event.image.link);
    }
  }
  return findings;
}

/** The path of event i's `rest` (a function, not a closure per event: this runs for every event). */
function eventPath(i: number, ...rest: PathSegment[]): PathSegment[] {
  return ['events', i, ...rest];
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * Characters XML 1.0 cannot carry (C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates),
 * in any key or string value: the feeds could not be well-formed, and they are never meant.
 * Iterative, so no nesting can exhaust the stack.
 */
const MAX_DEPTH = 64;

function checkCharacters(root: unknown): Finding[] {
  const findings: Finding[] = [];
  const stack: { value: unknown; path: PathSegment[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    // YAML stops at 64 levels already; JSON from `add --json` is held to the same bound.
    if (path.length > MAX_DEPTH) {
      findings.push(problem('too-deep', path.slice(0, MAX_DEPTH), { limit: MAX_DEPTH }));
      break;
    }
    if (typeof value === 'string') {
      const finding = forbiddenCharacter(value, path, false);
      if (finding) findings.push(finding);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const finding = forbiddenCharacter(key, [...path, key], true);
        if (finding) findings.push(finding);
        stack.push({ value: child, path: [...path, key] });
      }
    }
  }
  return findings;
}

function forbiddenCharacter(text: string, path: PathSegment[], isKey: boolean): Finding | undefined {
  let offset = -1;
  const match = XML_FORBIDDEN.exec(text);
  if (match) offset = match.index;
  if (!text.isWellFormed()) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const high = c >= 0xd800 && c <= 0xdbff;
      const low = c >= 0xdc00 && c <= 0xdfff;
      if (high && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) i++;
      else if (high || low) {
        if (offset === -1 || i < offset) offset = i;
        break;
      }
    }
  }
  if (offset === -1) return undefined;
  const code = text.charCodeAt(offset);
  const character = `U+${code.toString(16).toUpperCase().padStart(4, '0')}${code >= 0xd800 && code <= 0xdfff ? ' (half of a surrogate pair)' : ''}`;
  return problem(
    'forbidden-character',
    path,
    { field: isKey ? `the key "${escapeControls(text)}"` : fieldName(path), character, offset },
    isKey ? 'key' : undefined,
  );
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function escapeControls(text: string): string {
  const controls = new RegExp(XML_FORBIDDEN.source, 'g');
  return truncate(text.replace(controls, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).toWellFormed());
}

/** `path`: made only when the date is wrong (this runs for every date of every file). */
function checkDate(findings: Finding[], path: PathSegment[] | (() => PathSegment[]), value: string | number): void {
  const parsed = parseEventDate(value);
  if (!parsed.ok) findings.push(dateProblem(typeof path === 'function' ? path() : path, parsed));
}

function checkReferences(
  findings: Finding[],
  index: number,
  field: string,
  list: unknown,
  registry: Raw | undefined,
  keys: ReadonlySet<string> | undefined,
  kind: 'entity' | 'tag',
): void {
  if (!Array.isArray(list)) return;
  for (let j = 0; j < list.length; j++) {
    const key: unknown = list[j];
    if (typeof key === 'string' && !keys?.has(key)) checkReference(findings, ['events', index, field, j], key, registry, kind);
  }
}

function checkReference(findings: Finding[], path: PathSegment[], key: string, registry: Raw | undefined, kind: 'entity' | 'tag'): void {
  if (!SLUG_PATTERN.test(key) || (registry && Object.hasOwn(registry, key))) return;
  const section = kind === 'entity' ? 'entities' : 'tags';
  const example = kind === 'entity' ? `${key}: { name: ..., kind: organization }` : `${key}: Label shown on the page`;
  const suggestion = registry ? didYouMean(key, Object.keys(registry)) : undefined;
  const hint = registry
    ? `${suggestion ? `${suggestion} Or add` : 'Add'} it to \`${section}:\` at the top of the file:\n  ${example}`
    : `add a \`${section}:\` registry at the top of the file:\n${section}:\n  ${example}`;
  findings.push(problem(kind === 'entity' ? 'unknown-entity' : 'unknown-tag', path, { key, hint }));
}

/**
 * An http(s) address that WHATWG URL parsing surely accepts with a host: plain ASCII labels, a last
 * label that starts with a letter (so not an IPv4 number), no `xn--` label (punycode is checked by
 * the parser), a port of at most four digits, then printable ASCII. Most links are like this, and
 * `new URL` for each of them was a large part of checking a big file.
 */
const PLAIN_HTTP_URL = /^https?:\/\/(?:(?!xn--)[a-z0-9-]+\.)*(?!xn--)[a-z][a-z0-9-]*(?::\d{1,4})?(?:[/?#][\x21-\x7e]*)?$/i;

function checkUrl(findings: Finding[], path: PathSegment[], value: unknown): void {
  if (typeof value !== 'string' || PLAIN_HTTP_URL.test(value)) return;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  // The schema already reported strings that do not start with http(s)://; here, the ones that only look right.
  if (/^https?:\/\//i.test(value) && (!url || url.hostname === '')) findings.push(urlFinding(path, value));
}

/** An image's src: an https address or a relative path, of a type browsers and mail clients show. The
 * file itself (that it exists, that its bytes are of that type) is checked by io/event-images.ts. */
function checkImageSource(findings: Finding[], path: PathSegment[], src: string): void {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(src)?.[1]?.toLowerCase();
  if (scheme && scheme.length > 1) {
    if (scheme === 'http') findings.push(problem('image-not-https', path, { src: truncate(src) }));
    else if (scheme !== 'https') findings.push(problem('unsafe-url', path, { scheme }));
    else checkUrl(findings, path, src);
    if (scheme !== 'https') return;
  } else if (src.startsWith('//')) {
    findings.push(problem('image-not-https', path, { src: truncate(src) }));
    return;
  }
  const name = scheme ? new URL(src, 'https://x/').pathname : (src.split(/[?#]/)[0] ?? src);
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  if (!(extension in IMAGE_TYPES)) findings.push(problem('image-type', path, { src: truncate(src), extension }));
}

function urlFinding(path: PathSegment[], value: string): Finding {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'http' && scheme !== 'https') {
    return problem('unsafe-url', path, { scheme });
  }
  if (!scheme) return problem('relative-url', path, { value: truncate(value) });
  return problem('invalid-url', path, { value: truncate(value) });
}

// ---- helpers -------------------------------------------------------------------------------------

/** A finding whose message and hint come from the catalogue (errors-data.ts). */
function problem<C extends ErrorCode>(code: C, path: PathSegment[], data: ErrorData<C>, at?: 'key'): Finding {
  const { message, hint } = renderMessage(code, data);
  return { severity: 'error', code, path, message, ...(hint ? { hint } : {}), ...(at ? { at } : {}) };
}

function dateProblem(path: PathSegment[], parsed: { message: string; hint?: string }): Finding {
  return problem('invalid-date', path, { message: parsed.message, ...(parsed.hint ? { hint: parsed.hint } : {}) });
}

/** The same place reported by the schema and by a whole-file check: keep the first. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${formatPath(f.path)}|${f.code === 'invalid-date' ? 'date' : f.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function knownKeysAt(path: PathSegment[]): readonly string[] {
  if (path.length === 0) return KNOWN_KEYS.file;
  if (path[0] === 'newsletter') return KNOWN_KEYS.newsletter;
  if (path[0] === 'entities') return KNOWN_KEYS.entity;
  if (path[0] === 'events' && path.length === 2) return KNOWN_KEYS.event;
  if (path[0] === 'events' && path[2] === 'sources') return KNOWN_KEYS.source;
  if (path[0] === 'events' && path[2] === 'image') return KNOWN_KEYS.image;
  return [];
}

/** The field a path is about: `events[3].actors[1]` is about `actors`. */
function fieldName(path: PathSegment[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i];
    if (typeof segment === 'string')
      return path[0] === 'entities' && i === 1 ? 'entity' : path[0] === 'tags' && i === 1 ? 'tag label' : segment;
  }
  return 'the file';
}

function where(path: PathSegment[]): string {
  if (path.length === 0) return ' at the top of the file';
  if (path[0] === 'events' && path.length === 2) return ' in an event';
  if (path.includes('sources')) return ' in a source';
  if (path[0] === 'events' && path[2] === 'image') return ' in an image';
  if (path[0] === 'entities') return ' in an entity';
  if (path[0] === 'newsletter') return ' in newsletter';
  return '';
}

function describeExpected(expected: string, field: string): string {
  if (field === 'importance') return '1, 2 or 3';
  if (field === 'date') return 'a date such as 2025-01-20';
  switch (expected) {
    case 'string':
      return 'text';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a mapping of keys';
    case 'number':
    case 'int':
      return 'a number';
    default:
      return expected;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${truncate(value)}"`;
  if (typeof value === 'boolean') return `${value} (a yes/no value)`;
  return `${value} (a number)`;
}

function preview(value: unknown): string {
  return typeof value === 'string' ? `"${truncate(value)}"` : String(value);
}

function truncate(text: string, max = 60): string {
  const oneLine = text.replace(/\r?\n/g, '\\n');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

function valueAt(root: unknown, path: PathSegment[]): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function isRecord(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
