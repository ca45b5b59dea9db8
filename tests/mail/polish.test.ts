// The details of a personalised message: Reply-To, the `-- ` signature separator, a quoted-printable
// text part, List-Unsubscribe on every message, and dark-mode styles, seen in a browser (issue 12).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { quotedPrintable } from '../../src/newsletter/transfer-encoding.js';
import { hasChromium, launchChromium } from '../browser/chromium.js';
import { ROOT, run, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
// Into the temp folder (removed after the run) unless CHRONICLE_SCREENSHOTS_DIR keeps them, as the page test does.
const SCREENSHOTS = process.env.CHRONICLE_SCREENSHOTS_DIR ?? join(tempDir(), 'screenshots');
const ENV = { CHRONICLE_SECRET: 'test-secret-of-at-least-thirty-two-bytes', CHRONICLE_CACHE: 'off' };

async function adaMessage(events = SEED) {
  const dir = tempDir({ 'events.yaml': events, 'subscribers.csv': 'email,name\nada@example.org,Ada\n' });
  const result = await run(['newsletter', '--recipients', 'subscribers.csv'], dir, ENV);
  expect(result.code).toBe(0);
  const raw = readFileSync(join(dir, 'out', 'newsletter', '2025-01', 'ada@example.org.eml'));
  return { raw: raw.toString('utf8'), mail: await simpleParser(raw) };
}

describe('a personalised message', () => {
  it('has Reply-To from newsletter.reply_to', async () => {
    const { raw, mail } = await adaMessage(SEED.replace('newsletter:\n', 'newsletter:\n  reply_to: "Editors <editors@example.org>"\n'));
    expect(raw).toContain('\r\nReply-To: Editors <editors@example.org>\r\n');
    expect(mail.replyTo?.value[0]?.address).toBe('editors@example.org');
  });

  it('sends the text part quoted-printable, with a `-- ` signature separator', async () => {
    const { raw, mail } = await adaMessage();
    const textPart = raw.slice(raw.indexOf('Content-Type: text/plain'));
    expect(textPart).toMatch(/^Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n/);
    expect(textPart).toContain('\r\nHello Ada,\r\n');
    expect(mail.text).toContain('\n-- \nYou receive AI Timeline');
    const body = textPart.slice(textPart.indexOf('\r\n\r\n') + 4, textPart.indexOf('\r\n----'));
    for (const line of body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
  });

  it('has List-Unsubscribe on every message: the link, or without one, a mailto', async () => {
    const withLink = await adaMessage();
    expect(withLink.raw).toMatch(/\r\nList-Unsubscribe: <https:\/\/example\.org\/unsubscribe\/[\w-]{43}>\r\n/);
    const withoutLink = await adaMessage(SEED.replace(/ {2}unsubscribe_url: .*\n/, ''));
    expect(withoutLink.raw).toContain('\r\nList-Unsubscribe: <mailto:news@example.org?subject=unsubscribe>\r\n');
    expect(withoutLink.raw).not.toContain('List-Unsubscribe-Post');
  });

  it('carries dark-mode styles: prefers-color-scheme and the Outlook app hooks', async () => {
    const { mail } = await adaMessage();
    const html = mail.html || '';
    expect(html).toContain('@media (prefers-color-scheme:dark)');
    expect(html).toContain('[data-ogsc]');
    expect(html).toContain('[data-ogsb]');
    expect(Buffer.byteLength(html)).toBeLessThan(102_000);
  });
});

describe('quotedPrintable', () => {
  it('round-trips through a MIME parser: non-ASCII, =, trailing spaces and long lines', async () => {
    const text = `café = crème  \n${'x'.repeat(200)}\n${'é'.repeat(60)}\nend`;
    const message = `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${quotedPrintable(text)}`;
    expect((await simpleParser(message)).text).toBe(text);
    for (const line of quotedPrintable(text).split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
  });
});

describe.skipIf(!hasChromium)('the mail in a dark browser', () => {
  it('turns dark with prefers-color-scheme: dark (screenshots in the temp folder)', async () => {
    const { mail } = await adaMessage();
    mkdirSync(SCREENSHOTS, { recursive: true });
    const browser = await launchChromium();
    try {
      const backgrounds: string[] = [];
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await browser.newPage({ colorScheme, viewport: { width: 640, height: 900 } });
        await page.setContent(mail.html || '');
        backgrounds.push(await page.evaluate(() => getComputedStyle(document.querySelector('.cr-card') as Element).backgroundColor));
        await page.screenshot({ path: join(SCREENSHOTS, `mail-${colorScheme}.png`), fullPage: true });
        await page.close();
      }
      expect(backgrounds[0]).toBe('rgb(255, 255, 255)');
      expect(backgrounds[1]).toBe('rgb(31, 34, 40)');
    } finally {
      await browser.close();
    }
  }, 60_000);
});
