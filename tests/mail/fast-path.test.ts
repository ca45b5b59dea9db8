// The per-recipient fast paths (issue 12 item 7) write exactly the bytes of the slow ones they replace:
// pass 2 by string slices = a Handlebars render with braces restored; the To header of a plain ASCII
// name = nodemailer's MimeNode; the cached quoted-printable = the uncached one; base64Lines = nodemailer's
// wrap(encode()); the bodies encoded from pass 2's parts (fixed parts encoded once, at every offset) =
// the same encoders on the joined text. The messages as a whole are compared with the reference
// composition too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import Handlebars from 'handlebars';
import { encode, wrap } from 'nodemailer/lib/base64';
import MimeNode from 'nodemailer/lib/mime-node';
import { describe, expect, it, vi } from 'vitest';
import { generateMonthFile } from '../../bench/generate-events.js';
import { loadTimeline } from '../../src/events/load.js';
import { compileMessageTemplate, toHeader } from '../../src/newsletter/mime.js';
import { compilePass2, type FixedPart, type Part } from '../../src/newsletter/render.js';
import { buildIssueFiles } from '../../src/newsletter/site.js';
import { base64LineBytes, base64Lines, joinChunks, partsEncoder, quotedPrintable } from '../../src/newsletter/transfer-encoding.js';
import { issueWindow } from '../../src/newsletter/window.js';
import { ROOT } from '../helpers.js';

const restore = (s: string) => s.replaceAll('\uE000', '{');
const joined = (parts: readonly Part[]) => parts.map((p) => (typeof p === 'string' ? p : p.fixed)).join('');
const reference = (source: string, noEscape: boolean) => {
  const template = Handlebars.compile(source, noEscape ? { noEscape: true } : {});
  return (tokens: object) => restore(template(tokens));
};
function mimeTo(to: string): string {
  const node = new MimeNode();
  node.setHeader('To', to);
  return node
    .buildHeaders()
    .split(/\r\n(?=\S)/)
    .find((h: string) => h.startsWith('To:'))!;
}

// Names that matter: quotes, backslashes, markup, braces (and the private brace), non-ASCII, long ones.
const nameArb = fc.oneof(
  fc.constantFrom(
    '',
    'Ada Lovelace',
    'Zoë Ångström',
    'Bob "The Builder"',
    'Doe, Jane',
    'a\\b <b>&amp;',
    '{{recipient.email}} {x}',
    '\uE000{',
    '=?utf-8?q?x?=',
  ),
  fc.string({ maxLength: 90 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.stringMatching(/^[A-Za-z0-9]{1,12}( [A-Za-z0-9]{1,12}){0,6}$/),
);
const issues = Promise.all([SEED(), generateMonthFile(20)].map((text) => issueOf(text)));
function SEED() {
  return readFileSync(join(ROOT, 'events.yaml'), 'utf8');
}
async function issueOf(text: string) {
  const timeline = loadTimeline(text).timeline!;
  const issue = await buildIssueFiles(timeline, {
    window: issueWindow(timeline.now, {}),
    locale: 'en',
    secret: 'test-secret-of-at-least-thirty-two-bytes',
    ...(timeline.baseUrl ? { baseUrl: timeline.baseUrl } : {}),
  });
  return { timeline, issue: issue! };
}

describe('per-recipient fast paths write the same bytes', () => {
  it('pass 2 by slices = Handlebars, for the real issue templates and any tokens', async () => {
    for (const { issue } of await issues) {
      const { html, text } = issue.compiled.pass2;
      // The real templates take the fast path: Handlebars compiles nothing.
      const spy = vi.spyOn(Handlebars, 'compile');
      compilePass2(html, { noEscape: false });
      compilePass2(text, { noEscape: true });
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
      const pairs = [
        [compilePass2(html, { noEscape: false }), reference(html, false)],
        [compilePass2(text, { noEscape: true }), reference(text, true)],
      ] as const;
      fc.assert(
        fc.property(nameArb, fc.oneof(fc.constant(''), fc.webUrl()), fc.string(), (name, url, company) => {
          const tokens = { recipient: { name, email: 'a@example.org', company }, unsubscribe_url: url };
          for (const [fast, slow] of pairs) expect(fast(tokens)).toBe(slow(tokens));
        }),
        { numRuns: 150 },
      );
    }
  });

  it('pass 2 falls back to Handlebars for what it does not slice, with the same result', () => {
    const cases = [
      'Hi {{#if recipient.name}}{{recipient.name}}{{else}}there{{/if}}! {{! a comment }}{{{recipient.company}}} \uE000',
      '{{#each recipient}}{{this}},{{/each}} {{#unless unsubscribe_url}}none{{/unless}}',
      '{{recipient.constructor}} {{recipient.name.length}} {{recipient}} {{lookup recipient "name"}}',
      'line\n  {{#if recipient.name}}\n{{recipient.name}}\n  {{/if}}\nend {{~ recipient.name ~}} x',
    ];
    for (const source of cases)
      for (const noEscape of [false, true])
        for (const tokens of [
          { recipient: { name: 'A&"B', company: '<x>' }, unsubscribe_url: '' },
          { recipient: {}, unsubscribe_url: 'u' },
        ])
          expect(compilePass2(source, { noEscape })(tokens)).toBe(reference(source, noEscape)(tokens));
  });

  it('the To header = MimeNode, for plain names at every length and for the rest', () => {
    const plain = fc.tuple(
      fc.stringMatching(/^[A-Za-z0-9]{1,20}( [A-Za-z0-9]{1,20}){0,4}$/),
      fc.stringMatching(/^[a-z0-9]{1,20}([._+-][a-z0-9]{1,8})?@[a-z0-9]{1,20}(\.[a-z]{2,8}){1,2}$/),
    );
    fc.assert(
      fc.property(plain, fc.boolean(), ([name, email], named) => {
        const to = named ? `"${name}" <${email}>` : email;
        expect(toHeader(to)).toBe(mimeTo(to));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(nameArb, (name) => {
        const to = `"${name.replace(/["\\\r\n]/g, '')}" <reader@xn--bcher-kva.example>`;
        expect(toHeader(to)).toBe(mimeTo(to));
      }),
      { numRuns: 300 },
    );
  });

  it('quoted-printable with its line cache = without, and base64Lines = nodemailer', () => {
    const cache = new Map<string, string>();
    fc.assert(
      fc.property(
        fc
          .array(fc.oneof(fc.constantFrom('same line', 'ünïcode = line ', ''), fc.string({ maxLength: 200 })), { maxLength: 8 })
          .map((l) => (l.length % 3 ? l : ['x'.repeat(56), 'y'.repeat(57), 'z'.repeat(58), ...l])),
        (lines) => {
          const text = lines.join('\n');
          expect(quotedPrintable(text, cache)).toBe(quotedPrintable(text));
          expect(base64Lines(text)).toBe(wrap(encode(Buffer.from(text)), 76));
          expect(base64LineBytes(text).toString('latin1')).toBe(wrap(encode(Buffer.from(text)), 76));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('pass 2 as parts = pass 2 as a string, and the fixed parts are shared by every recipient', async () => {
    for (const { issue } of await issues) {
      const first = issue.compiled.renderParts({ recipient: { name: 'A' }, unsubscribe_url: 'u' });
      fc.assert(
        fc.property(nameArb, fc.oneof(fc.constant(''), fc.webUrl()), (name, url) => {
          const tokens = { recipient: { name, email: 'a@example.org' }, unsubscribe_url: url };
          const parts = issue.compiled.renderParts(tokens);
          const whole = issue.compiled.render(tokens);
          expect(joined(parts.html)).toBe(whole.html);
          expect(joined(parts.text)).toBe(whole.text);
          // The same objects as for another recipient: what the encoders' caches are keyed by.
          const shared = new Set([...first.html, ...first.text].filter((p) => typeof p !== 'string'));
          for (const part of [...parts.html, ...parts.text]) if (typeof part !== 'string') expect(shared.has(part)).toBe(true);
        }),
        { numRuns: 100 },
      );
    }
  });

  it('the parts encoders = the encoders of the joined text, with their caches warm and cold', () => {
    // Fixed parts from a small pool, so one encoder meets the same part at many offsets.
    const pool: FixedPart[] = [
      '',
      'x'.repeat(56),
      'y'.repeat(57),
      'z'.repeat(58),
      'é'.repeat(100),
      'line one\nline two\n',
      '\n\nparagraph = with a tab\t\nand trailing space \n',
      `${'long line '.repeat(20)}\n${'ü'.repeat(40)}\nend`,
      'carriage\r\nreturn',
      '<p>Hello, </p>\n'.repeat(30),
    ].map((fixed) => ({ fixed }));
    const partArb = fc.oneof(fc.constantFrom(...pool), fc.string({ maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 30 }));
    const warm = partsEncoder();
    fc.assert(
      fc.property(fc.array(partArb, { maxLength: 12 }), (parts) => {
        const text = joined(parts);
        for (const encoder of [warm, partsEncoder()]) {
          expect(joinChunks(encoder.quotedPrintable(parts)).toString('latin1')).toBe(quotedPrintable(text));
          expect(joinChunks(encoder.base64(parts)).toString('latin1')).toBe(wrap(encode(Buffer.from(text)), 76));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a message from parts = the message from strings, for names of every length', async () => {
    for (const { timeline, issue } of await issues) {
      const template = await compileMessageTemplate({
        from: timeline.newsletter.from ?? 'X <x@example.org>',
        subject: issue.compiled.view.subject,
        date: timeline.now,
        issueId: issue.id,
        listName: issue.compiled.view.name,
        hasUnsubscribe: true,
      });
      // Every length up to two base64 lines, so the fixed HTML after the name starts at every offset.
      const names = [...Array.from({ length: 120 }, (_, n) => 'N'.repeat(n)), ...Array.from({ length: 60 }, (_, n) => `${'é'.repeat(n)}a`)];
      for (const name of [...names, 'Zoë "Q" <b>&amp;', '{{x}} \uE000']) {
        const url = `https://example.org/u/${'t'.repeat(name.length % 7)}`;
        const tokens = { recipient: { name, email: 'reader@example.org' }, unsubscribe_url: url };
        const to = `"${name.replace(/["\\]/g, '')}" <reader@example.org>`;
        const fromStrings = template.fill({ to, ...issue.compiled.render(tokens), unsubscribeUrl: url });
        const chunks = template.fillChunks({ to, ...issue.compiled.renderParts(tokens), unsubscribeUrl: url });
        expect(joinChunks(chunks).equals(fromStrings)).toBe(true);
      }
    }
  });

  it('a whole message = the reference composition (nodemailer wrap, MimeNode, uncached QP)', async () => {
    const { timeline, issue } = (await issues)[1]!;
    const headers = {
      from: timeline.newsletter.from ?? 'X <x@example.org>',
      subject: issue.compiled.view.subject,
      date: timeline.now,
      issueId: issue.id,
      listName: issue.compiled.view.name,
      hasUnsubscribe: true,
    };
    const template = await compileMessageTemplate(headers);
    for (const name of ['Ada Lovelace', 'Zoë Ångström-Ñúñez', 'Bob The Builder', '', 'Doe, Jane']) {
      const to = name ? `"${name}" <reader@example.org>` : 'reader@example.org';
      const parts = issue.compiled.render({ recipient: { name }, unsubscribe_url: 'https://example.org/u/x' });
      const message = template.fill({ to, ...parts, unsubscribeUrl: 'https://example.org/u/x' }).toString('utf8');
      expect(message).toContain(`\r\n${mimeTo(to)}\r\n`);
      expect(message).toContain(`\r\n\r\n${quotedPrintable(parts.text)}\r\n`);
      expect(message).toContain(`\r\n\r\n${wrap(encode(Buffer.from(parts.html)), 76)}\r\n`);
    }
  });
});
