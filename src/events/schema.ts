// The events file as DESIGN.md section 2 defines it. This zod schema is the structural contract (keys,
// types, enums, lengths); it is also the source of `events.schema.json`. Checks that need the whole
// file (dates that exist, references, unique ids) live in validate.ts, beside it.
import { z } from 'zod';
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
const ONE_LINE_PATTERN = /^[^\r\n]*$/;

export const LIMITS = { line: 300, name: 200, text: 20_000, list: 200, id: 120 } as const;

const slug = z.string().min(1).max(LIMITS.id).regex(SLUG_PATTERN);
const oneLine = (max: number = LIMITS.line) => z.string().min(1).max(max).regex(ONE_LINE_PATTERN);
const longText = z.string().max(LIMITS.text);
const httpUrl = z.string().max(2_000).regex(HTTP_URL_PATTERN);
// A bare YAML number is accepted for a year (`date: 2015`).
const edtfDate = z.union([z.string().regex(DATE_PATTERN), z.int()]);
const day = z.string().regex(DAY_PATTERN);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(LIMITS.list);

export const SourceSchema = z
  .strictObject({
    url: httpUrl.optional(),
    title: oneLine().optional(),
    publisher: oneLine(LIMITS.name).optional(),
    date: edtfDate.optional(),
  })
  .meta({ description: 'Where the event is reported: a url (http/https), a publisher, or both.' });

/** The picture types browsers and mail clients show (by extension; the file's bytes are checked too). */
export const IMAGE_TYPES = { jpg: 'jpeg', jpeg: 'jpeg', png: 'png', webp: 'webp', gif: 'gif' } as const;

export const ImageSchema = z
  .strictObject({
    src: z.string().min(1).max(2_000).regex(ONE_LINE_PATTERN).meta({
      description:
        'A JPEG, PNG, WebP or GIF file relative to the events file (copied into media/ under a content-hashed name), or an https:// address (the page then asks that server for it).',
    }),
    alt: z.string().max(LIMITS.line).regex(ONE_LINE_PATTERN).meta({
      description: 'What the picture shows, for readers who cannot see it; "" marks a decorative picture.',
    }),
    credit: oneLine(LIMITS.name).optional(),
    link: httpUrl.optional().meta({ description: 'Where the picture links to (http/https), e.g. its source.' }),
  })
  .meta({ description: 'A picture of the event.' });

export const EventSchema = z.strictObject({
  id: slug.meta({ description: 'Stable slug [a-z0-9-], unique in the file; never derived from the title.' }),
  date: edtfDate.optional().meta({ description: 'EDTF: 2025, 2025-Q1, 2025-01, 2025-01-20, with ~ or ?, A/B or A/..' }),
  display_date: oneLine().optional(),
  title: oneLine(),
  summary: longText.optional().meta({ description: 'Plain text with inline Markdown (links, *emphasis*, `code`).' }),
  status: z.enum(STATUSES).optional(),
  certainty: z.enum(CERTAINTIES).optional(),
  claimed_by: slug.optional(),
  actors: list(slug).optional(),
  tags: list(slug).optional(),
  importance: z.literal([1, 2, 3]).optional(),
  sources: list(SourceSchema).optional(),
  related: list(slug).optional(),
  added: day.optional(),
  image: ImageSchema.optional(),
});

export const EntitySchema = z.strictObject({
  name: oneLine(LIMITS.name),
  kind: z.enum(ENTITY_KINDS),
  url: httpUrl.optional(),
});

// Exactly one mailbox: `Name <address>` (a name with a comma is quoted) or a bare address.
export const ONE_ADDRESS_PATTERN = /^(?:(?:"[^"\r\n]*"|[^",<>@\r\n])*<[^\s<>",;@]+@[^\s<>",;@]+>|[^\s<>",;@]+@[^\s<>",;@]+)$/;
const oneAddress = oneLine(LIMITS.name).regex(ONE_ADDRESS_PATTERN, {
  message: 'must be exactly one address, e.g. "AI Timeline <news@example.org>"',
});

export const NewsletterSchema = z.strictObject({
  name: oneLine(LIMITS.name).optional(),
  from: oneAddress.optional(),
  reply_to: oneAddress.optional().meta({ description: 'The Reply-To address of every message.' }),
  unsubscribe_url: httpUrl.optional(),
  suppressions: oneLine().optional().meta({
    description: 'The suppression list (CSV), relative to the events file; default suppressions.csv beside it.',
  }),
});

export const EventsFileSchema = z.strictObject({
  title: oneLine(),
  description: longText.optional(),
  locale: z.enum(LOCALES).optional(),
  as_of: day.optional(),
  base_url: httpUrl.optional(),
  newsletter: NewsletterSchema.optional(),
  entities: z.record(slug, EntitySchema).optional(),
  tags: z.record(slug, oneLine(LIMITS.name)).optional(),
  events: z.array(EventSchema).max(1_000_000),
});

export type EventsFileInput = z.input<typeof EventsFileSchema>;
export type EventInput = z.input<typeof EventSchema>;
export type SourceInput = z.input<typeof SourceSchema>;
export type ImageInput = z.input<typeof ImageSchema>;
export type Entity = z.output<typeof EntitySchema>;
export type Status = (typeof STATUSES)[number];
export type Certainty = (typeof CERTAINTIES)[number];
export type Locale = string;

/** The keys each kind of mapping accepts, for "did you mean" on unknown keys. */
export const KNOWN_KEYS = {
  file: Object.keys(EventsFileSchema.shape),
  event: Object.keys(EventSchema.shape),
  source: Object.keys(SourceSchema.shape),
  image: Object.keys(ImageSchema.shape),
  entity: Object.keys(EntitySchema.shape),
  newsletter: Object.keys(NewsletterSchema.shape),
} as const;

/** The JSON Schema of the events file, for editors (`# yaml-language-server: $schema=...`). */
export function eventsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(EventsFileSchema, { io: 'input', unrepresentable: 'any' });
  return { $schema: schema.$schema, title: 'chronicle events file', ...schema };
}
