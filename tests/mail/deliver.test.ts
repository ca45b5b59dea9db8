// Personalised messages and sending them: a real SMTP server (smtp-server on 127.0.0.1) receives
// them, a real MIME parser reads them, and a rerun never sends twice to anyone.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { ROOT, run, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
const ENV = { CHRONICLE_SECRET: 'test-secret', CHRONICLE_CACHE: 'off' };
const SUBSCRIBERS =
  'email,name,company\nada@example.org,Ada Lovelace,Analytical Engines\nbob@example.org,Bob,\ncleo@example.org,,Cleo & Co\n';

interface Received {
  to: string[];
  raw: Buffer;
}

/** An SMTP server on 127.0.0.1 that keeps what it receives; `reject` refuses some recipients. */
async function smtpServer(reject: (address: string) => boolean = () => false) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (reject(address.address)) callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function setup(csv = SUBSCRIBERS) {
  return tempDir({ 'events.yaml': SEED, 'subscribers.csv': csv });
}

describe('--recipients', () => {
  it('writes one personalised message per subscriber, each with its own unsubscribe link', async () => {
    const dir = setup();
    const result = await run(['newsletter', '--recipients', 'subscribers.csv'], dir, ENV);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3 personalised messages in out/newsletter/2025-01/');
    const folder = join(dir, 'out', 'newsletter', '2025-01');
    expect(readdirSync(folder).sort()).toEqual(['ada@example.org.eml', 'bob@example.org.eml', 'cleo@example.org.eml']);
    const ada = await simpleParser(readFileSync(join(folder, 'ada@example.org.eml')));
    const bob = await simpleParser(readFileSync(join(folder, 'bob@example.org.eml')));
    expect(ada.html).toContain('Hello Ada Lovelace,');
    expect(ada.text).toContain('Hello Ada Lovelace,');
    expect(bob.text).toContain('Hello Bob,');
    expect(ada.to && !Array.isArray(ada.to) ? ada.to.text : '').toBe('"Ada Lovelace" <ada@example.org>');
    const link = (mail: typeof ada) => (mail.headers.get('list') as { unsubscribe?: { url: string } }).unsubscribe?.url;
    expect(link(ada)).toMatch(/^https:\/\/example\.org\/unsubscribe\/[\w-]{43}$/);
    expect(link(ada)).not.toBe(link(bob));
    expect(link(ada)).not.toContain('ada');
    expect(ada.html).toContain(link(ada));
    for (const mail of [ada, bob]) expect(`${mail.html}${mail.text}`).not.toContain('{{');
    expect(ada.messageId).not.toBe(bob.messageId);
  });

  it('reports invalid addresses with their line, skips duplicates and names with a line break', async () => {
    const dir = setup(
      'email,name\nada@example.org,Ada\nnot-an-address,X\nADA@example.org,Ada again\n"eve@example.org","Eve\nBcc: victim@example.org"\nbob@example.org,Bob\n',
    );
    const result = await run(['newsletter', '--recipients', 'subscribers.csv'], dir, ENV);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('subscribers.csv:3: "not-an-address" is not an email address; skipped');
    expect(result.stderr).toContain('subscribers.csv:4: ADA@example.org is listed twice; sent once');
    expect(result.stderr).toContain('subscribers.csv:5: the name of eve@example.org contains a line break');
    expect(readdirSync(join(dir, 'out', 'newsletter', '2025-01')).sort()).toEqual(['ada@example.org.eml', 'bob@example.org.eml']);
  });

  it('refuses, before writing anything, an unsubscribe link that needs a token without CHRONICLE_SECRET', async () => {
    const dir = setup();
    const result = await run(['newsletter', '--recipients', 'subscribers.csv'], dir, { CHRONICLE_CACHE: 'off' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('newsletter.unsubscribe_url uses {{token}}, but CHRONICLE_SECRET is not set');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('asks for recipients when told to send', async () => {
    const result = await run(['newsletter', '--send', 'smtp://127.0.0.1:1'], setup(), ENV);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--send needs --recipients');
  });
});

describe('--send over SMTP', () => {
  it('delivers the issue to three recipients, personalised', async () => {
    const server = await smtpServer();
    try {
      const dir = setup();
      const result = await run(['newsletter', '--recipients', 'subscribers.csv', '--send', server.url, '--rate', '50/s'], dir, ENV);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`sent 3, failed 0, skipped 0 (already sent) through ${server.url}`);
      expect(server.received.map((r) => r.to[0]).sort()).toEqual(['ada@example.org', 'bob@example.org', 'cleo@example.org']);
      for (const message of server.received) {
        const mail = await simpleParser(message.raw);
        expect(mail.subject).toBe('AI Timeline: January 2025');
        const name =
          message.to[0] === 'ada@example.org' ? 'Hello Ada Lovelace,' : message.to[0] === 'bob@example.org' ? 'Hello Bob,' : 'Hello,';
        expect(mail.text).toContain(name);
      }
    } finally {
      await server.close();
    }
  });

  it('reports a refused recipient, exits 1, and a rerun sends only to that one', async () => {
    const picky = await smtpServer((address) => address === 'bob@example.org');
    const dir = setup();
    try {
      const first = await run(['newsletter', '--recipients', 'subscribers.csv', '--send', picky.url], dir, ENV);
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(/could not send to bob@example\.org: .*No such user here/);
      expect(first.stdout).toContain('sent 2, failed 1, skipped 0');
      expect(picky.received.map((r) => r.to[0]).sort()).toEqual(['ada@example.org', 'cleo@example.org']);
    } finally {
      await picky.close();
    }
    const good = await smtpServer();
    try {
      const second = await run(['newsletter', '--recipients', 'subscribers.csv', '--send', good.url], dir, ENV);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('sent 1, failed 0, skipped 2 (already sent)');
      expect(good.received.map((r) => r.to[0])).toEqual(['bob@example.org']);
      // And a third run sends to no one.
      const third = await run(['newsletter', '--recipients', 'subscribers.csv', '--send', good.url], dir, ENV);
      expect(third.stdout).toContain('sent 0, failed 0, skipped 3');
      expect(good.received).toHaveLength(1);
    } finally {
      await good.close();
    }
  });

  it('sends nothing without --send', async () => {
    const server = await smtpServer();
    try {
      const dir = setup();
      const result = await run(['newsletter', '--recipients', 'subscribers.csv'], dir, { ...ENV, CHRONICLE_SMTP_URL: server.url });
      expect(result.code, result.stderr).toBe(0);
      // It did its work (one message file a reader) and sent none of it.
      expect(readdirSync(join(dir, 'out', 'newsletter', '2025-01'))).toHaveLength(3);
      expect(server.received).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
