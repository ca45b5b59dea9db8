// The hand-written shape check may only vouch for values zod accepts: on random values made by
// mutating valid files (wrong types, unknown keys, empty and over-long strings, line breaks, bad
// enums, odd numbers, nulls, holes), `fitsSchema(v)` must imply that EventsFileSchema accepts v. And
// it must vouch for the valid files we ship and generate, or zod would be loaded for nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateEventsFile } from '../../bench/generate-events.js';
import { parseFastYaml } from '../../src/events/fast-yaml.js';
import { schemas } from '../../src/events/schema.js';
import { fitsSchema } from '../../src/events/shape.js';
import { validateEventsValue } from '../../src/events/validate.js';
import { KNOWN_KEYS } from '../../src/events/vocabulary.js';
import { ROOT } from '../helpers.js';

const valid = {
  title: 'T',
  description: 'About',
  locale: 'en',
  as_of: '2025-01-31',
  base_url: 'https://example.org/t/',
  newsletter: {
    name: 'News',
    from: 'AI Timeline <news@example.org>',
    reply_to: 'a@example.org',
    unsubscribe_url: 'https://example.org/u/{{token}}',
    suppressions: 'suppressions.csv',
  },
  entities: { deepseek: { name: 'DeepSeek', kind: 'organization', url: 'https://deepseek.com' } },
  tags: { models: 'Model releases' },
  events: [
    {
      id: 'r1',
      date: '2025-01-20',
      display_date: 'Late January',
      title: 'R1',
      summary: 'A *model*',
      status: 'happened',
      certainty: 'claimed',
      claimed_by: 'deepseek',
      actors: ['deepseek'],
      tags: ['models'],
      importance: 1,
      sources: [{ url: 'https://example.org/a', title: 'A', publisher: 'P', date: 2025 }],
      related: ['r1'],
      added: '2025-01-28',
      image: { src: 'r1.png', alt: '', credit: 'C', link: 'https://example.org/i' },
    },
  ],
};

/** Every path to a leaf or a node of the valid value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (value === null || typeof value !== 'object') return here;
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return here.concat(...entries.map(([k, v]) => paths(v, [...prefix, k])));
}

const PATHS = paths(valid);
const REPLACEMENTS: unknown[] = [
  null,
  undefined,
  '',
  'x',
  'a\nb',
  'a\rb',
  'x'.repeat(121),
  'x'.repeat(201),
  'x'.repeat(301),
  'x'.repeat(2001),
  'x'.repeat(20_001),
  'UPPER',
  'has space',
  '2025-13-45',
  '2025-01-20',
  '2025',
  'javascript:alert(1)',
  'https://',
  'https://example.org/a b',
  0,
  -0,
  1,
  4,
  1.5,
  2025,
  Number.MAX_SAFE_INTEGER + 1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  [],
  ['x'],
  ['UPPER'],
  Array.from({ length: 201 }, () => 'a'),
  {},
  { unknown: 1 },
  { name: 'N', kind: 'person' },
  Object.create(null),
  new Date(0),
];

function setAt(root: unknown, path: (string | number)[], replacement: unknown, asKey: boolean): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  if (path.length === 0) return replacement;
  let node = copy;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (asKey && !Array.isArray(node)) {
    const value = node[last];
    delete node[last];
    node[String(replacement)] = value;
  } else node[last] = replacement;
  return copy;
}

describe('the shape check', () => {
  it('knows the keys the zod schema knows', () => {
    const s = schemas();
    expect(KNOWN_KEYS).toEqual({
      file: Object.keys(s.EventsFileSchema.shape),
      event: Object.keys(s.EventSchema.shape),
      source: Object.keys(s.SourceSchema.shape),
      image: Object.keys(s.ImageSchema.shape),
      entity: Object.keys(s.EntitySchema.shape),
      newsletter: Object.keys(s.NewsletterSchema.shape),
    });
  });

  it('vouches only for values zod accepts', () => {
    const { EventsFileSchema } = schemas();
    let vouched = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({ path: fc.constantFrom(...PATHS), with: fc.constantFrom(...REPLACEMENTS), asKey: fc.boolean() }), {
          minLength: 0,
          maxLength: 3,
        }),
        (edits) => {
          let value: unknown = valid;
          for (const edit of edits) {
            try {
              value = setAt(value, edit.path, edit.with, edit.asKey);
            } catch {
              // The path went away with an earlier edit.
            }
          }
          if (fitsSchema(value)) {
            vouched++;
            expect(EventsFileSchema.safeParse(value).success, JSON.stringify(edits)).toBe(true);
          }
        },
      ),
      { numRuns: 3_000 },
    );
    expect(vouched).toBeGreaterThan(100);
  });

  it('vouches for the shipped and the generated files', () => {
    for (const text of [
      readFileSync(join(ROOT, 'events.yaml'), 'utf8'),
      readFileSync(join(ROOT, 'tests/fixtures/time-shapes.yaml'), 'utf8'),
      generateEventsFile({ events: 300 }),
    ]) {
      const parsed = parseFastYaml(text);
      expect(parsed).toBeDefined();
      expect(fitsSchema(parsed!.value)).toBe(true);
    }
  });
});

describe('the plain-link shortcut of the link check', () => {
  const label = fc.oneof(fc.stringMatching(/^[a-zA-Z0-9-]{1,12}$/), fc.constantFrom('xn--zz', 'XN--bcher-kva', '999', '0x1f'));
  const tld = fc.oneof(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,8}$/), fc.constantFrom('xn--p1ai', 'xn--a', '256', '0x10'));
  const link = fc
    .record({
      scheme: fc.constantFrom('http', 'https', 'HTTPS'),
      labels: fc.array(label, { maxLength: 4 }),
      tld,
      port: fc.option(fc.stringMatching(/^\d{1,4}$/), { nil: undefined }),
      rest: fc.option(fc.stringMatching(/^[/?#][\x21-\x7e]{0,30}$/), { nil: undefined }),
    })
    .map((l) => `${l.scheme}://${[...l.labels, l.tld].join('.')}${l.port ? `:${l.port}` : ''}${l.rest ?? ''}`);

  it('skips only links the URL parser accepts with a host, which the check would pass', () => {
    fc.assert(
      fc.property(link, (value) => {
        const file = { title: 'T', events: [{ id: 'a', title: 'A', date: '2025', sources: [{ url: value }] }] };
        const problems = validateEventsValue(file);
        let host = '';
        try {
          host = new URL(value).hostname;
        } catch {
          host = '';
        }
        // Whether or not the shortcut takes it, the verdict is the parser's.
        expect(problems.some((p) => p.code === 'invalid-url')).toBe(host === '');
      }),
      { numRuns: 2_000 },
    );
  });
});
