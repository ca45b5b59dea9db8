// The unsubscribe endpoint with real Fetch API Request objects, and on a real Node http server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { createUnsubscribeHandler } from '../../src/index.js';
import { toNodeListener } from '../../src/unsubscribe/node.js';
import { unsubscribeToken } from '../../src/unsubscribe/token.js';

const SECRET = 'test-secret-of-at-least-thirty-two-bytes';
const LIST = ['ada@example.org', 'bob@example.org'];

function setup() {
  const stored: { address: string; token: string }[] = [];
  const handler = createUnsubscribeHandler({
    secret: SECRET,
    recipients: async () => LIST,
    listName: 'AI Timeline',
    onUnsubscribe: (entry) => {
      stored.push(entry);
    },
  });
  return { handler, stored };
}
const link = (address: string, secret = SECRET) => `https://example.org/unsubscribe/${unsubscribeToken(address, secret)}`;

describe('createUnsubscribeHandler', () => {
  it('unsubscribes on an RFC 8058 one-click POST', async () => {
    const { handler, stored } = setup();
    const response = await handler(
      new Request(link('bob@example.org'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('You are unsubscribed');
    expect(stored).toEqual([{ address: 'bob@example.org', token: unsubscribeToken('bob@example.org', SECRET) }]);
  });

  it('answers a GET with a page and a button, and stores nothing (link scanners follow links)', async () => {
    const { handler, stored } = setup();
    const response = await handler(new Request(link('ada@example.org')));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toMatch(/<form method="post">[\s\S]*<button type="submit">Unsubscribe<\/button>/);
    expect(html).not.toContain('ada@example.org');
    expect(stored).toEqual([]);
    const report = await new HtmlValidate({ extends: ['html-validate:recommended'] }).validateString(html);
    expect(report.results.flatMap((r) => r.messages.map((m) => m.message))).toEqual([]);
  });

  it('refuses a forged token with 403 and stores nothing, whatever the method', async () => {
    const { handler, stored } = setup();
    for (const url of [
      link('bob@example.org', 'another-secret-of-thirty-two-bytes!!'),
      link('eve@example.org'),
      'https://example.org/unsubscribe/',
      'https://example.org/unsubscribe/%E0%A4%A',
    ]) {
      expect((await handler(new Request(url, { method: 'POST', body: 'List-Unsubscribe=One-Click' }))).status).toBe(403);
      expect((await handler(new Request(url))).status).toBe(403);
    }
    expect((await handler(new Request(link('bob@example.org'), { method: 'PUT' }))).status).toBe(405);
    expect(stored).toEqual([]);
  });

  it('takes the token from ?token= too', async () => {
    const { handler, stored } = setup();
    const response = await handler(
      new Request(`https://example.org/u?token=${unsubscribeToken('ada@example.org', SECRET)}`, { method: 'POST' }),
    );
    expect(response.status).toBe(200);
    expect(stored.map((s) => s.address)).toEqual(['ada@example.org']);
  });

  it('refuses a short secret when it is made', () => {
    expect(() => createUnsubscribeHandler({ secret: 'short', recipients: [], onUnsubscribe: () => undefined })).toThrow(/32 bytes/);
  });

  it('runs on Node http through toNodeListener', async () => {
    const { handler, stored } = setup();
    const server = createServer(toNodeListener(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const url = link('ada@example.org').replace('https://example.org', `http://127.0.0.1:${port}`);
      expect((await fetch(url)).status).toBe(200);
      const post = await fetch(url, {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(post.status).toBe(200);
      expect(stored.map((s) => s.address)).toEqual(['ada@example.org']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('chronicle serve --recipients', () => {
  it('mounts the endpoint: a POST to a reader link lands in the suppression list', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { serve } = await import('../../src/commands/serve.js');
    const { ROOT, tempDir } = await import('../helpers.js');
    const dir = tempDir({ 'events.yaml': readFileSync(join(ROOT, 'events.yaml'), 'utf8'), 'subscribers.csv': 'email\nada@example.org\n' });
    let stdout = '';
    let stop = () => {};
    const until = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const io = {
      cwd: dir,
      stdout: (t: string) => {
        stdout += t;
      },
      stderr: () => {},
      color: false,
      interactive: false,
      env: { CHRONICLE_SECRET: SECRET, CHRONICLE_CACHE: 'off' },
    };
    const running = serve({ port: '0', recipients: 'subscribers.csv', quiet: true, until }, io);
    for (let i = 0; i < 100 && !stdout; i++) await new Promise((r) => setTimeout(r, 50));
    try {
      const base = /on (http:\/\/\S+?)\/? /.exec(stdout)![1]!;
      const url = `${base}/unsubscribe/${unsubscribeToken('ada@example.org', SECRET)}`;
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(`${base}/unsubscribe/forged-token-forged-token-forged`, { method: 'POST' })).status).toBe(403);
      expect((await fetch(url, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
      expect(readFileSync(join(dir, 'suppressions.csv'), 'utf8')).toMatch(/^email,reason,date\nada@example\.org,unsubscribed,/);
    } finally {
      stop();
      await running;
    }
  });
});
