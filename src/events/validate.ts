// Validation of the raw YAML value: the zod schema for structure, then the checks that need the whole
// file (dates that exist, references, unique ids, http links). Returns findings with data paths and
// no positions; load.ts locates them. Prints nothing.
import { z } from 'zod';
import type { Severity } from '../errors.js';
import { parseEventDate } from './dates.js';
import { formatPath, type PathSegment } from './path.js';
import { DAY_PATTERN, ENTITY_KINDS, EventsFileSchema, FORWARD_STATUSES, KNOWN_KEYS, SLUG_PATTERN } from './schema.js';
import { didYouMean } from './suggest.js';

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

/**
 * `knownIds`: ids of events that exist besides those in `value.events` (when `chronicle add`
 * validates only its new events against a file already checked).
 */
export function validateEventsValue(value: unknown, knownIds?: ReadonlySet<string>): Finding[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const what = Array.isArray(value) ? 'a list' : value === null ? 'empty' : `a single value (${preview(value)})`;
    return [error('not-a-mapping', [], `the top of the file must be a mapping of keys, but it is ${what}`, TOP_LEVEL_HINT)];
  }
  const findings: Finding[] = [];
  const result = compiledSchema().safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) findings.push(...describeIssue(issue, value as Raw));
  }
  findings.push(...checkWholeFile(value as Raw, knownIds));
  return dedupe(findings);
}

// zod compiles the schema into one specialised function: about twice as fast on big files.
let compiled: typeof EventsFileSchema | undefined;
function compiledSchema(): typeof EventsFileSchema {
  compiled ??= z.compile(EventsFileSchema);
  return compiled;
}

const TOP_LEVEL_HINT =
  'an events file starts like this:\ntitle: My timeline\nlocale: en\nevents:\n  - id: first-event\n    date: 2025-01-20\n    title: Something happened';

// ---- zod issues -> findings ------------------------------------------------------------------------

function describeIssue(issue: z.core.$ZodIssue, root: Raw): Finding[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  const field = fieldName(path);
  const value = valueAt(root, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(path);
      return issue.keys.map((key) =>
        error(
          'unknown-key',
          [...path, key],
          `unknown key "${key}"${where(path)}`,
          joinHints(didYouMean(key, known), `The keys here are: ${known.join(', ')}.`),
          'key',
        ),
      );
    }
    case 'invalid_type': {
      if (value === undefined) {
        return [
          error(
            'missing',
            path.slice(0, -1),
            `\`${field}\` is missing${where(path.slice(0, -1))}`,
            REQUIRED_HINTS[field] ?? `add \`${field}:\``,
          ),
        ];
      }
      return [
        error(
          'wrong-type',
          path,
          `${field} must be ${describeExpected(issue.expected, field)}, not ${describeValue(value)}`,
          TYPE_HINTS[field],
        ),
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
      return [error('invalid-key', path, `"${key}" is not a valid key${where(path.slice(0, -1))}`, SLUG_HINT, 'key')];
    }
    case 'too_small':
      return [error('empty', path, `${field} is empty`, `give ${field} a value, or remove the line`)];
    case 'too_big': {
      const limit = Number(issue.maximum);
      if (typeof value === 'string')
        return [
          error(
            'too-long',
            path,
            `${field} is too long (${value.length.toLocaleString('en')} characters; at most ${limit.toLocaleString('en')})`,
            'shorten it: details belong in the sources',
          ),
        ];
      if (Array.isArray(value)) return [error('too-many', path, `${field} has too many items (${value.length}; at most ${limit})`)];
      return [error('too-big', path, `${field} is too big`)];
    }
    default:
      return [error('invalid', path, `${field}: ${issue.message}`)];
  }
}

function enumFinding(path: PathSegment[], field: string, value: unknown, allowed: string[]): Finding {
  const text = typeof value === 'string' ? value : String(value);
  return error(
    'invalid-value',
    path,
    `${describeValue(value)} is not a valid ${field}`,
    joinHints(didYouMean(text, allowed), `${capitalize(field)} is one of: ${allowed.join(', ')}.`),
  );
}

/** A string that does not have the shape its field needs: say which shape, with an example. */
function describeFormat(path: PathSegment[], field: string, value: unknown): Finding {
  if (field === 'date') {
    const parsed = parseEventDate(value);
    if (!parsed.ok) return error('invalid-date', path, parsed.message, parsed.hint);
    return error('invalid-date', path, `${describeValue(value)} is not a date`, DATE_HINT);
  }
  if (field === 'added' || field === 'as_of') return error('invalid-date', path, `${describeValue(value)} is not a day`, DAY_HINT);
  if (URL_FIELDS.has(field)) return urlFinding(path, String(value));
  if ((field === 'from' || field === 'reply_to') && typeof value === 'string' && !/[\r\n]/.test(value))
    return error(
      'invalid-address',
      path,
      `${describeValue(value)} is not exactly one address`,
      'write one mailbox, e.g. "AI Timeline <news@example.org>"; a name with a comma goes in quotes',
    );
  if (SLUG_FIELDS.has(field))
    return error('invalid-id', path, `${describeValue(value)} is not a valid ${field === 'id' ? 'id' : 'key'}`, SLUG_HINT);
  if (typeof value === 'string' && /[\r\n]/.test(value)) {
    return error(
      'line-break',
      path,
      `${field} must be one line, but it contains a line break`,
      'remove the line break: this text becomes a heading, a feed title or a mail header',
    );
  }
  return error('invalid', path, `${describeValue(value)} is not a valid ${field}`);
}

const DATE_HINT = 'write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Qn, e.g. 2025-01-20';
const DAY_HINT = 'write the day as YYYY-MM-DD, e.g. 2025-01-28';
const SLUG_HINT = 'ids and keys are lowercase slugs: letters a-z, digits and single hyphens, e.g. deepseek-r1-release';
const URL_FIELDS = new Set(['url', 'base_url', 'unsubscribe_url']);
const SLUG_FIELDS = new Set(['id', 'claimed_by', 'actors', 'tags', 'related']);
const REQUIRED_HINTS: Record<string, string> = {
  title: 'add a one-line title, e.g. title: DeepSeek releases R1',
  events: 'add the list of events, even an empty one: events: []',
  id: 'add a stable slug, e.g. id: deepseek-r1-release',
  name: 'add the name to show, e.g. name: DeepSeek',
  kind: `add the kind, one of: ${ENTITY_KINDS.join(', ')}`,
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

function checkWholeFile(file: Raw, knownIds: ReadonlySet<string> = new Set()): Finding[] {
  const findings: Finding[] = [];
  const entities = isRecord(file.entities) ? file.entities : undefined;
  const tagVocabulary = isRecord(file.tags) ? file.tags : undefined;
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
    if (knownIds.has(id))
      findings.push(
        error(
          'duplicate-id',
          ['events', i, 'id'],
          `the id "${id}" is already used by another event`,
          'ids must be unique: give this event another id',
        ),
      );
    else if (first === undefined) firstIndexOfId.set(id, i);
    else
      findings.push(
        error(
          'duplicate-id',
          ['events', i, 'id'],
          `the id "${id}" is already used by events[${first}]`,
          'ids must be unique: give this event another id',
        ),
      );
  }

  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (!isRecord(event)) continue;
    const at = (...rest: PathSegment[]): PathSegment[] => ['events', i, ...rest];
    if (event.date === undefined) {
      const status = typeof event.status === 'string' ? event.status : 'happened';
      if (!FORWARD_STATUSES.has(status)) {
        findings.push(
          error(
            'missing-date',
            at(),
            `\`date\` is missing: a ${status} event needs a date`,
            'add date: YYYY-MM-DD (or YYYY-MM, YYYY); only announced, upcoming and rumored events may have no date yet',
          ),
        );
      }
    } else if (typeof event.date === 'string' || typeof event.date === 'number') {
      checkDate(findings, at('date'), event.date);
    }
    if (typeof event.added === 'string' && DAY_PATTERN.test(event.added)) checkDate(findings, at('added'), event.added);
    if (typeof event.claimed_by === 'string') checkReference(findings, at('claimed_by'), event.claimed_by, entities, 'entity');
    checkReferences(findings, at('actors'), event.actors, entities, 'entity');
    if (tagVocabulary) checkReferences(findings, at('tags'), event.tags, tagVocabulary, 'tag');
    if (Array.isArray(event.related)) {
      event.related.forEach((id, j) => {
        if (typeof id === 'string' && SLUG_PATTERN.test(id) && !firstIndexOfId.has(id) && !knownIds.has(id)) {
          findings.push(
            error(
              'unknown-event',
              at('related', j),
              `no event has the id "${id}"`,
              joinHints(didYouMean(id, firstIndexOfId.keys()), 'Related lists ids of other events in this file.'),
            ),
          );
        }
      });
    }
    if (Array.isArray(event.sources)) {
      event.sources.forEach((source, j) => {
        if (!isRecord(source)) return;
        if (source.url === undefined && source.publisher === undefined) {
          findings.push(
            error(
              'source-without-origin',
              at('sources', j),
              'a source needs a url or a publisher',
              'add url: https://... or publisher: Name (both is best)',
            ),
          );
        }
        checkUrl(findings, at('sources', j, 'url'), source.url);
        if (typeof source.date === 'string' || typeof source.date === 'number') checkDate(findings, at('sources', j, 'date'), source.date);
      });
    }
  }
  return findings;
}

function checkDate(findings: Finding[], path: PathSegment[], value: string | number): void {
  const parsed = parseEventDate(value);
  if (!parsed.ok) findings.push(error('invalid-date', path, parsed.message, parsed.hint));
}

function checkReferences(findings: Finding[], path: PathSegment[], list: unknown, registry: Raw | undefined, kind: 'entity' | 'tag'): void {
  if (!Array.isArray(list)) return;
  list.forEach((key, j) => {
    if (typeof key === 'string') checkReference(findings, [...path, j], key, registry, kind);
  });
}

function checkReference(findings: Finding[], path: PathSegment[], key: string, registry: Raw | undefined, kind: 'entity' | 'tag'): void {
  if (!SLUG_PATTERN.test(key) || (registry && Object.hasOwn(registry, key))) return;
  const section = kind === 'entity' ? 'entities' : 'tags';
  const example = kind === 'entity' ? `${key}: { name: ..., kind: organization }` : `${key}: Label shown on the page`;
  const suggestion = registry ? didYouMean(key, Object.keys(registry)) : undefined;
  const hint = registry
    ? `${suggestion ? `${suggestion} Or add` : 'Add'} it to \`${section}:\` at the top of the file:\n  ${example}`
    : `add a \`${section}:\` registry at the top of the file:\n${section}:\n  ${example}`;
  findings.push(error(kind === 'entity' ? 'unknown-entity' : 'unknown-tag', path, `no ${kind} has the key "${key}"`, hint));
}

function checkUrl(findings: Finding[], path: PathSegment[], value: unknown): void {
  if (typeof value !== 'string') return;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  // The schema already reported strings that do not start with http(s)://; here, the ones that only look right.
  if (/^https?:\/\//i.test(value) && (!url || url.hostname === '')) findings.push(urlFinding(path, value));
}

function urlFinding(path: PathSegment[], value: string): Finding {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'http' && scheme !== 'https') {
    return error('unsafe-url', path, `only http and https links are allowed, not "${scheme}:"`, 'link to a web page: https://...');
  }
  if (!scheme)
    return error('relative-url', path, `"${truncate(value)}" is not an absolute link`, 'write the full address, starting with https://');
  return error('invalid-url', path, `"${truncate(value)}" is not a valid link`, 'write the full address, e.g. https://example.org/page');
}

// ---- helpers -------------------------------------------------------------------------------------

function error(code: string, path: PathSegment[], message: string, hint?: string, at?: 'key'): Finding {
  return { severity: 'error', code, path, message, ...(hint ? { hint } : {}), ...(at ? { at } : {}) };
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

function joinHints(...hints: (string | undefined)[]): string | undefined {
  const present = hints.filter((h): h is string => Boolean(h));
  return present.length > 0 ? present.join(' ') : undefined;
}

function valueAt(root: unknown, path: PathSegment[]): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isRecord(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
