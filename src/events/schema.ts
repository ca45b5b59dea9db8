// The events file as DESIGN.md section 2 defines it. This zod schema is the structural contract (keys,
// types, enums, lengths); it is also the source of `events.schema.json`. Checks that need the whole
// file (dates that exist, references, unique ids) live in validate.ts, beside it.
// zod is loaded on first use (createRequire): a valid file is vouched for by shape.ts without it.
import { createRequire } from 'node:module';
import type { z as Z } from 'zod';
import {
  CERTAINTIES,
  DATE_PATTERN,
  DAY_PATTERN,
  ENTITY_KINDS,
  HTTP_URL_PATTERN,
  LIMITS,
  LOCALES,
  ONE_ADDRESS_PATTERN,
  ONE_LINE_PATTERN,
  SLUG_PATTERN,
  STATUSES,
} from './vocabulary.js';

export {
  CERTAINTIES,
  type Certainty,
  DATE_PATTERN,
  DAY_PATTERN,
  ENTITY_KINDS,
  FORWARD_STATUSES,
  HTTP_URL_PATTERN,
  IMAGE_TYPES,
  KNOWN_KEYS,
  LIMITS,
  LOCALES,
  type Locale,
  ONE_ADDRESS_PATTERN,
  SLUG_PATTERN,
  STATUSES,
  type Status,
} from './vocabulary.js';

/** The zod schemas of the file, made with `z` (see `schemas()`). */
function makeSchemas(z: typeof Z) {
  const slug = z.string().min(1).max(LIMITS.id).regex(SLUG_PATTERN);
  const oneLine = (max: number = LIMITS.line) => z.string().min(1).max(max).regex(ONE_LINE_PATTERN);
  const longText = z.string().max(LIMITS.text);
  const httpUrl = z.string().max(LIMITS.url).regex(HTTP_URL_PATTERN);
  // A bare YAML number is accepted for a year (`date: 2015`).
  const edtfDate = z.union([z.string().regex(DATE_PATTERN), z.int()]);
  const day = z.string().regex(DAY_PATTERN);
  const list = <T extends Z.ZodType>(item: T) => z.array(item).max(LIMITS.list);

  const SourceSchema = z
    .strictObject({
      url: httpUrl.optional(),
      title: oneLine().optional(),
      publisher: oneLine(LIMITS.name).optional(),
      date: edtfDate.optional(),
    })
    .meta({ description: 'Where the event is reported: a url (http/https), a publisher, or both.' });

  const ImageSchema = z
    .strictObject({
      src: z.string().min(1).max(LIMITS.url).regex(ONE_LINE_PATTERN).meta({
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

  const EventSchema = z.strictObject({
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

  const EntitySchema = z.strictObject({
    name: oneLine(LIMITS.name),
    kind: z.enum(ENTITY_KINDS),
    url: httpUrl.optional(),
  });

  const oneAddress = oneLine(LIMITS.name).regex(ONE_ADDRESS_PATTERN, {
    message: 'must be exactly one address, e.g. "AI Timeline <news@example.org>"',
  });

  const NewsletterSchema = z.strictObject({
    name: oneLine(LIMITS.name).optional(),
    from: oneAddress.optional(),
    reply_to: oneAddress.optional().meta({ description: 'The Reply-To address of every message.' }),
    unsubscribe_url: httpUrl.optional(),
    suppressions: oneLine().optional().meta({
      description: 'The suppression list (CSV), relative to the events file; default suppressions.csv beside it.',
    }),
  });

  const EventsFileSchema = z.strictObject({
    title: oneLine(),
    description: longText.optional(),
    locale: z.enum(LOCALES).optional(),
    as_of: day.optional(),
    base_url: httpUrl.optional(),
    newsletter: NewsletterSchema.optional(),
    entities: z.record(slug, EntitySchema).optional(),
    tags: z.record(slug, oneLine(LIMITS.name)).optional(),
    events: z.array(EventSchema).max(LIMITS.events),
  });
  return { SourceSchema, ImageSchema, EventSchema, EntitySchema, NewsletterSchema, EventsFileSchema };
}

type Schemas = ReturnType<typeof makeSchemas>;

let made: (Schemas & { z: typeof Z }) | undefined;

/** The zod schemas (and zod itself), made on first use. */
export function schemas(): Schemas & { z: typeof Z } {
  if (!made) {
    const { z } = createRequire(import.meta.url)('zod') as { z: typeof Z };
    made = { ...makeSchemas(z), z };
  }
  return made;
}

export type EventsFileInput = Z.input<Schemas['EventsFileSchema']>;
export type EventInput = Z.input<Schemas['EventSchema']>;
export type SourceInput = Z.input<Schemas['SourceSchema']>;
export type ImageInput = Z.input<Schemas['ImageSchema']>;
export type Entity = Z.output<Schemas['EntitySchema']>;

/** The JSON Schema of the events file, for editors (`# yaml-language-server: $schema=...`). */
export function eventsJsonSchema(): Record<string, unknown> {
  const { z, EventsFileSchema } = schemas();
  const schema = z.toJSONSchema(EventsFileSchema, { io: 'input', unrepresentable: 'any' });
  return { $schema: schema.$schema, title: 'chronicle events file', ...schema };
}
