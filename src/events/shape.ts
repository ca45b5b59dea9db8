// A hand-written check that a value has the shape schema.ts describes, for the common case: a
// valid file. It may only say "fits" when zod would accept the value too (anything unusual answers
// "does not fit"), and then zod, loaded on demand, gives the verdict and the problems. So a valid
// file is checked without loading zod at all (about a fifth of a small build's start-up) and
// faster than by zod's compiled parser. tests/unit/shape.test.ts holds it to zod on random values.
import {
  CERTAINTIES,
  DATE_PATTERN,
  DAY_PATTERN,
  ENTITY_KINDS,
  HTTP_URL_PATTERN,
  KNOWN_KEYS,
  LIMITS,
  LOCALES,
  ONE_ADDRESS_PATTERN,
  SLUG_PATTERN,
  STATUSES,
} from './vocabulary.js';

type Raw = Record<string, unknown>;

const FILE_KEYS = new Set<string>(KNOWN_KEYS.file);
const EVENT_KEYS = new Set<string>(KNOWN_KEYS.event);
const SOURCE_KEYS = new Set<string>(KNOWN_KEYS.source);
const IMAGE_KEYS = new Set<string>(KNOWN_KEYS.image);
const ENTITY_KEYS = new Set<string>(KNOWN_KEYS.entity);
const NEWSLETTER_KEYS = new Set<string>(KNOWN_KEYS.newsletter);
const STATUS_SET = new Set<unknown>(STATUSES);
const CERTAINTY_SET = new Set<unknown>(CERTAINTIES);
const KIND_SET = new Set<unknown>(ENTITY_KINDS);
const LOCALE_SET = new Set<unknown>(LOCALES);

/** True only if EventsFileSchema accepts `value` (false may still be valid: ask zod). */
export function fitsSchema(value: unknown): boolean {
  if (!isPlain(value) || !keysIn(value, FILE_KEYS)) return false;
  if (!oneLine(value.title, LIMITS.line)) return false;
  if (value.description !== undefined && !text(value.description, LIMITS.text)) return false;
  if (value.locale !== undefined && !LOCALE_SET.has(value.locale)) return false;
  if (value.as_of !== undefined && !matches(value.as_of, DAY_PATTERN)) return false;
  if (value.base_url !== undefined && !httpUrl(value.base_url)) return false;
  if (value.newsletter !== undefined && !newsletter(value.newsletter)) return false;
  if (value.entities !== undefined) {
    if (!isPlain(value.entities)) return false;
    for (const key in value.entities) if (!slug(key) || !entity(value.entities[key])) return false;
  }
  if (value.tags !== undefined) {
    if (!isPlain(value.tags)) return false;
    for (const key in value.tags) if (!slug(key) || !oneLine(value.tags[key], LIMITS.name)) return false;
  }
  const events = value.events;
  if (!Array.isArray(events) || events.length > LIMITS.events) return false;
  for (let i = 0; i < events.length; i++) if (!event(events[i])) return false;
  return true;
}

function event(value: unknown): boolean {
  if (!isPlain(value) || !keysIn(value, EVENT_KEYS)) return false;
  if (!slug(value.id) || !oneLine(value.title, LIMITS.line)) return false;
  for (const key in value) {
    const v = value[key];
    switch (key) {
      case 'id':
      case 'title':
        break;
      case 'date':
        if (!edtfDate(v)) return false;
        break;
      case 'display_date':
        if (!oneLine(v, LIMITS.line)) return false;
        break;
      case 'summary':
        if (!text(v, LIMITS.text)) return false;
        break;
      case 'status':
        if (!STATUS_SET.has(v)) return false;
        break;
      case 'certainty':
        if (!CERTAINTY_SET.has(v)) return false;
        break;
      case 'claimed_by':
        if (!slug(v)) return false;
        break;
      case 'actors':
      case 'tags':
      case 'related':
        if (!list(v, slug)) return false;
        break;
      case 'importance':
        if (v !== 1 && v !== 2 && v !== 3) return false;
        break;
      case 'sources':
        if (!list(v, source)) return false;
        break;
      case 'added':
        if (!matches(v, DAY_PATTERN)) return false;
        break;
      case 'image':
        if (!image(v)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function source(value: unknown): boolean {
  if (!isPlain(value) || !keysIn(value, SOURCE_KEYS)) return false;
  if (value.url !== undefined && !httpUrl(value.url)) return false;
  if (value.title !== undefined && !oneLine(value.title, LIMITS.line)) return false;
  if (value.publisher !== undefined && !oneLine(value.publisher, LIMITS.name)) return false;
  return value.date === undefined || edtfDate(value.date);
}

function image(value: unknown): boolean {
  if (!isPlain(value) || !keysIn(value, IMAGE_KEYS)) return false;
  if (!oneLine(value.src, LIMITS.url)) return false;
  if (typeof value.alt !== 'string' || value.alt.length > LIMITS.line || hasLineBreak(value.alt)) return false;
  if (value.credit !== undefined && !oneLine(value.credit, LIMITS.name)) return false;
  return value.link === undefined || httpUrl(value.link);
}

function entity(value: unknown): boolean {
  if (!isPlain(value) || !keysIn(value, ENTITY_KEYS)) return false;
  return oneLine(value.name, LIMITS.name) && KIND_SET.has(value.kind) && (value.url === undefined || httpUrl(value.url));
}

function newsletter(value: unknown): boolean {
  if (!isPlain(value) || !keysIn(value, NEWSLETTER_KEYS)) return false;
  if (value.name !== undefined && !oneLine(value.name, LIMITS.name)) return false;
  for (const key of ['from', 'reply_to'] as const) {
    const v = value[key];
    if (v !== undefined && !(oneLine(v, LIMITS.name) && ONE_ADDRESS_PATTERN.test(v as string))) return false;
  }
  if (value.unsubscribe_url !== undefined && !httpUrl(value.unsubscribe_url)) return false;
  return value.suppressions === undefined || oneLine(value.suppressions, LIMITS.line);
}

// ---- the leaves ----------------------------------------------------------------------------------

/** A plain mapping, as YAML and JSON make them. */
function isPlain(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

/** Every key is known and none holds undefined (zod's optional would take it; we need not). `for...in`
 * sees exactly the own enumerable keys zod sees, the prototype being Object.prototype (isPlain). */
function keysIn(value: Raw, known: ReadonlySet<string>): boolean {
  for (const key in value) if (!known.has(key) || value[key] === undefined) return false;
  return true;
}

function slug(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= LIMITS.id && SLUG_PATTERN.test(value);
}

function oneLine(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= max && !hasLineBreak(value);
}

function text(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length <= max;
}

function httpUrl(value: unknown): boolean {
  return typeof value === 'string' && value.length <= LIMITS.url && HTTP_URL_PATTERN.test(value);
}

function edtfDate(value: unknown): boolean {
  return (typeof value === 'string' && DATE_PATTERN.test(value)) || Number.isSafeInteger(value);
}

function matches(value: unknown, pattern: RegExp): boolean {
  return typeof value === 'string' && pattern.test(value);
}

function list(value: unknown, item: (v: unknown) => boolean): boolean {
  if (!Array.isArray(value) || value.length > LIMITS.list) return false;
  for (let i = 0; i < value.length; i++) if (!(i in value) || !item(value[i])) return false;
  return true;
}

function hasLineBreak(value: string): boolean {
  return value.includes('\n') || value.includes('\r');
}
