// Personalised messages and sending them: a real SMTP server (smtp-server on 127.0.0.1) receives
// them, a real MIME parser reads them, and a rerun never sends twice to anyone.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { checkSender } from '../../src/newsletter/deliver.js';
import { ROOT, run, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
const ENV = { CHRONICLE_SECRET: 'test-secret-of-at-least-thirty-two-bytes', CHRONICLE_CACHE: 'off' };
const SUBSCRIBERS =
  'email,name,company\nada@example.org,Ada Lovelace,Analytical Engines\nbob@example.org,Bob,\ncleo@example.org,,Cleo & Co\n';

interface Received {
  to: string[];
  raw: Buffer;
}

/** An SMTP server on 127.0.0.1 that keeps what it receives; `reject` refuses some recipients with
 * `code`; with `login`, it requires that user and password. */
async function smtpServer(reject: (address: string) => boolean = () => false, code = 550, login?: { user: string; pass: string }) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: !login,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (login && auth.username === login.user && auth.password === login.pass) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (reject(address.address))
        callback(Object.assign(new Error(code >= 500 ? 'No such user here' : 'Mailbox busy, try later'), { responseCode: code }));
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

  it('refuses a --send that is not an smtp:// address: exit 2, the flag named (a catalogue code in the library)', async () => {
    const dir = setup();
    const notUrl = await run(['newsletter', '--recipients', 'subscribers.csv', '--send', 'nonsense'], dir, ENV);
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('--send "nonsense" is not an SMTP address');
    const http = await run(['newsletter', '--recipients', 'subscribers.csv', '--send', 'http://u:secret@example.org'], dir, ENV);
    expect(http.code).toBe(2);
    expect(http.stderr).toContain('--send takes an smtp:// or smtps:// address');
    expect(http.stderr).not.toContain('secret');
    await expect(checkSender('nonsense')).rejects.toMatchObject({
      code: 'send-not-smtp-address',
      message: '`send` "nonsense" is not an SMTP address',
    });
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
      expect(result.stdout).toContain(`sent 3, bounced 0, deferred 0, suppressed 0, already sent 0 through ${server.url}`);
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

  it('records a 550 as a bounce, suppresses it with the reply, and the rerun does not try it', async () => {
    const picky = await smtpServer((address) => address === 'bob@example.org');
    const dir = setup();
    try {
      const first = await run(['newsletter', '--recipients', 'subscribers.csv', '--send', picky.url], dir, ENV);
      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(/bob@example\.org bounced: 550 No such user here \(added to the suppression list\)/);
      expect(first.stdout).toContain('sent 2, bounced 1, deferred 0, suppressed 0, already sent 0');
      // Nothing can still succeed: no advice to run again.
      expect(first.stderr).not.toContain('again');
      expect(picky.received.map((r) => r.to[0]).sort()).toEqual(['ada@example.org', 'cleo@example.org']);
      const suppressions = readFileSync(join(dir, 'suppressions.csv'), 'utf8');
      expect(suppressions).toBe('email,reason,date\nbob@example.org,bounced: 550 No such user here,2025-01-31\n');
      const log = readFileSync(join(dir, 'out', 'newsletter', '2025-01', 'sent.jsonl'), 'utf8');
      expect(log).toContain('"email":"bob@example.org","issue":"2025-01","status":"bounced"');
    } finally {
      await picky.close();
    }
    const good = await smtpServer();
    try {
      const second = await run(['newsletter', '--recipients', 'subscribers.csv', '--send', good.url], dir, ENV);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('sent 0, bounced 0, deferred 0, suppressed 1, already sent 2');
      expect(good.received).toEqual([]);
      expect(existsSync(join(dir, 'out', 'newsletter', '2025-01', 'bob@example.org.eml'))).toBe(true); // from the first run
    } finally {
      await good.close();
    }
  });

  it('defers a 451, advises a rerun, and the rerun delivers it', async () => {
    const busy = await smtpServer((address) => address === 'cleo@example.org', 451);
    const dir = setup();
    try {
      const first = await run(['newsletter', '--recipients', 'subscribers.csv', '--send', busy.url], dir, ENV);
      expect(first.code).toBe(1);
      expect(first.stdout).toContain('sent 2, bounced 0, deferred 1, suppressed 0, already sent 0');
      expect(first.stderr).toContain('run the same command again later');
      expect(existsSync(join(dir, 'suppressions.csv'))).toBe(false);
    } finally {
      await busy.close();
    }
    const good = await smtpServer();
    try {
      const second = await run(['newsletter', '--recipients', 'subscribers.csv', '--send', good.url], dir, ENV);
      expect(second).toMatchObject({ code: 0 });
      expect(second.stdout).toContain('sent 1, bounced 0, deferred 0, suppressed 0, already sent 2');
      expect(good.received.map((r) => r.to[0])).toEqual(['cleo@example.org']);
    } finally {
      await good.close();
    }
  });

  it('stops at a wrong password with one message and exit 1, marks nobody sent; the right one delivers to all', async () => {
    const server = await smtpServer(() => false, 550, { user: 'news', pass: 'right' });
    const dir = setup();
    try {
      const url = server.url.replace('smtp://', 'smtp://news:wrong@');
      const first = await run(['newsletter', '--recipients', 'subscribers.csv', '--send', url], dir, ENV);
      expect(first.code).toBe(1);
      expect(first.stderr.trim().split('\n')).toHaveLength(2); // the message and its hint
      expect(first.stderr).toMatch(/^chronicle: cannot send through smtp:\/\/news:\*\*\*@127\.0\.0\.1:\d+: .*535/);
      expect(first.stderr).not.toContain('wrong');
      expect(server.received).toEqual([]);
      expect(existsSync(join(dir, 'out'))).toBe(false);
      const second = await run(['newsletter', '--recipients', 'subscribers.csv', '--send', url.replace(':wrong@', ':right@')], dir, ENV);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('sent 3, bounced 0, deferred 0, suppressed 0, already sent 0');
      expect(server.received).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it('stops with one message when no server answers', async () => {
    const server = await smtpServer();
    await server.close();
    const dir = setup();
    const result = await run(['newsletter', '--recipients', 'subscribers.csv', '--send', server.url], dir, ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^chronicle: cannot send through smtp:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
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
