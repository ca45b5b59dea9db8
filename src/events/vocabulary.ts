// The words and shapes of the events file that code outside validation needs (statuses, patterns,
// limits, known keys), without zod: loading a valid file, rendering and `add` never load the schema
// library (schema.ts builds the zod schema from these, on first use).
import { builtinLocaleCodes } from '../render/locales.js';

export const STATUSES = ['happened', 'announced', 'upcoming', 'rumored', 'postponed', 'cancelled'] as const;
export const CERTAINTIES = ['confirmed', 'reported', 'claimed', 'disputed'] as const;
export const ENTITY_KINDS = ['organization', 'person', 'product', 'place'] as const;
/** One per file of templates/locales: a locale is data. */
export const LOCALES = builtinLocaleCodes() as [string, ...string[]];

/** Statuses of events that may lie in the future, and so may have no date yet. */
export const FORWARD_STATUSES: ReadonlySet<string> = new Set(['announced', 'upcoming', 'rumored']);

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** The shape of an EDTF date; whether the day exists is checked in dates.ts. */
export const DATE_PATTERN = /^\d{4}(?:-(?:Q\d|\d{2})(?:-\d{2})?)?[~?%]?(?:\/(?:\.\.|\d{4}(?:-(?:Q\d|\d{2})(?:-\d{2})?)?[~?%]?))?$/;
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const HTTP_URL_PATTERN = /^https?:\/\/[^\s]+$/i;
export const ONE_LINE_PATTERN = /^[^\r\n]*$/;
// Exactly one mailbox: `Name <address>` (a name with a comma is quoted) or a bare address.
export const ONE_ADDRESS_PATTERN = /^(?:(?:"[^"\r\n]*"|[^",<>@\r\n])*<[^\s<>",;@]+@[^\s<>",;@]+>|[^\s<>",;@]+@[^\s<>",;@]+)$/;

export const LIMITS = { line: 300, name: 200, text: 20_000, list: 200, id: 120, url: 2_000, events: 1_000_000 } as const;

/** The picture types browsers and mail clients show (by extension; the file's bytes are checked too). */
export const IMAGE_TYPES = { jpg: 'jpeg', jpeg: 'jpeg', png: 'png', webp: 'webp', gif: 'gif' } as const;

/** The keys each kind of mapping accepts (the schema's shapes; a test holds them equal). */
export const KNOWN_KEYS = {
  file: ['title', 'description', 'locale', 'as_of', 'base_url', 'newsletter', 'entities', 'tags', 'events'],
  event: [
    'id',
    'date',
    'display_date',
    'title',
    'summary',
    'status',
    'certainty',
    'claimed_by',
    'actors',
    'tags',
    'importance',
    'sources',
    'related',
    'added',
    'image',
  ],
  source: ['url', 'title', 'publisher', 'date'],
  image: ['src', 'alt', 'credit', 'link'],
  entity: ['name', 'kind', 'url'],
  newsletter: ['name', 'from', 'reply_to', 'unsubscribe_url', 'suppressions'],
} as const satisfies Record<string, readonly string[]>;

export type Status = (typeof STATUSES)[number];
export type Certainty = (typeof CERTAINTIES)[number];
export type Locale = string;
