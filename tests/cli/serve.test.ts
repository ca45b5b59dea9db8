// The preview server: every output served, a reload event on each save, problems shown instead of a
// crash, recovery on the next good save, and no path out of the build.
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateEventsFile } from '../../bench/generate-events.js';
import { type Preview, startPreview } from '../../src/serve/preview.js';
import { hasChromium, launchChromium } from '../browser/chromium.js';
import { BIN, ROOT, runBinary, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
let preview: Preview | undefined;

afterEach(async () => {
  await preview?.close();
  preview = undefined;
});

async function start() {
  const dir = tempDir({ 'events.yaml': SEED });
  preview = await startPreview({ file: 'events.yaml', cwd: dir, port: 0, host: '127.0.0.1' });
  return { dir, preview, path: join(dir, 'events.yaml') };
}

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

/** A raw request, so the path reaches the server exactly as written (fetch would normalise `..`). */
function rawStatus(base: string, path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The next `reload` event of the server-sent event stream. */
async function nextReload(url: string): Promise<string> {
  const response = await fetch(`${url}_chronicle/events`);
  const reader = response.body!.getReader();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the event stream ended');
    text += new TextDecoder().decode(value);
    if (text.includes('event: reload')) {
      await reader.cancel();
      return text;
    }
  }
}

/** Counts the `reload` events of the server-sent event stream until `stop` is called. */
async function countReloads(url: string): Promise<{ count: () => number; stop: () => Promise<void> }> {
  const response = await fetch(`${url}_chronicle/events`);
  const reader = response.body!.getReader();
  let text = '';
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += new TextDecoder().decode(value);
    }
  })();
  return {
    count: () => text.split('event: reload').length - 1,
    stop: async () => {
      await reader.cancel();
      await reading;
    },
  };
}

describe('chronicle serve', () => {
  it('serves an index that links every output, and every output', async () => {
    const { preview } = await start();
    const index = await get(preview.url);
    expect(index.status).toBe(200);
    // The seed has no dated upcoming event, so no calendar (an empty one is not written).
    expect(index.body).not.toContain('upcoming.ics');
    for (const link of ['/site/', '/site/feed.xml', '/site/feed.json', '/site/timeline.json', '/newsletter/']) {
      expect(index.body).toContain(`href="${link}"`);
      const page = await get(new URL(link, preview.url).href);
      expect(page.status).toBe(200);
    }
    const newsletter = await get(`${preview.url}newsletter/`);
    expect(newsletter.body).toMatch(/HTML part: [\d.]+ KB of the 98 KB budget/);
    expect(newsletter.body).toContain('Mobile (375 px)');
    expect((await get(`${preview.url}newsletter/reader.html`)).body).toContain('Hello Ada Lovelace,');
    expect((await get(`${preview.url}newsletter/reader.txt`)).type).toContain('text/plain');
    expect((await get(`${preview.url}site/`)).body).toContain('/_chronicle/events');
  });

  it('sends a reload event when the events file is saved, and serves the change', async () => {
    const { preview, path } = await start();
    const reload = nextReload(preview.url);
    await new Promise((r) => setTimeout(r, 100));
    const saved = Date.now();
    writeFileSync(path, SEED.replace('DeepSeek releases R1, an open-weight', 'DeepSeek ships R1, an open-weight'));
    await reload;
    console.log(`reload event ${Date.now() - saved} ms after the save`);
    expect((await get(`${preview.url}site/`)).body).toContain('DeepSeek ships R1');
  });

  it('does not reload the pages with a half-written save: a save written in two pieces gives one reload', async () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const path = join(dir, 'events.yaml');
    const saved = SEED.replace('DeepSeek releases R1, an open-weight', 'DeepSeek ships R1, an open-weight');
    // Cut inside a date: the first piece alone is a file with a problem.
    const cut = saved.indexOf('date: 2025-01-20') + 'date: 2025-0'.length;
    let rest: string | undefined;
    preview = await startPreview({
      file: 'events.yaml',
      cwd: dir,
      port: 0,
      host: '127.0.0.1',
      // The first piece was read and found broken: the rest of the save is written now, as a slow
      // editor would, while the pages wait for another change.
      onLog: (line) => {
        if (rest !== undefined && line.includes('showing the problems')) {
          appendFileSync(path, rest);
          rest = undefined;
          // A busy machine: the process stalls, so the pages' wait is over before the change event
          // of the rest is taken (timers run before I/O): the file itself must tell.
          setImmediate(() => {
            const end = Date.now() + 300;
            while (Date.now() < end);
          });
        }
      },
    });
    const reloads = await countReloads(preview.url);
    await new Promise((r) => setTimeout(r, 100));
    const rebuilt = preview.rebuilt();
    rest = saved.slice(cut);
    writeFileSync(path, saved.slice(0, cut));
    await rebuilt;
    await new Promise((r) => setTimeout(r, 400));
    await reloads.stop();
    expect(rest).toBeUndefined();
    expect(reloads.count()).toBe(1);
    expect((await get(`${preview.url}site/`)).body).toContain('DeepSeek ships R1');
  });

  it('serves the pages of a split timeline as build writes them, year pages and search.json when asked for', async () => {
    const dir = tempDir({ 'events.yaml': generateEventsFile({ events: 2100 }) });
    const built = runBinary(['build', 'events.yaml', '-o', 'out', '--no-newsletter', '--quiet'], { cwd: dir });
    expect(built.stderr).toBe('');
    preview = await startPreview({ file: 'events.yaml', cwd: dir, port: 0, host: '127.0.0.1' });
    const script = '<script>new EventSource("/_chronicle/events")';
    for (const file of ['index.html', '2001.html', 'search.json']) {
      const served = await get(`${preview.url}site/${file}`);
      expect(served.status, file).toBe(200);
      const written = readFileSync(join(dir, 'out', file), 'utf8');
      if (file.endsWith('.json')) expect(served.body).toBe(written);
      else {
        // The same page with the reload script before </body>.
        const at = served.body.indexOf(script);
        expect(at, file).toBe(written.lastIndexOf('</body>'));
        expect(served.body.slice(0, at) + served.body.slice(served.body.indexOf('</script>', at) + '</script>'.length)).toBe(written);
      }
    }
  }, 60_000);

  it('shows the problems of a broken file instead of failing, and recovers on the next good save', async () => {
    const { preview, path } = await start();
    let rebuilt = preview.rebuilt();
    writeFileSync(path, SEED.replace('date: 2025-01-20', 'date: 2025-02-30'));
    await rebuilt;
    const broken = await get(`${preview.url}site/`);
    expect(broken.status).toBe(200);
    expect(broken.body).toMatch(/events\.yaml:\d+:11 {2}events\[8\]\.date {2}&#34;2025-02-30&#34; is not a date/);
    rebuilt = preview.rebuilt();
    writeFileSync(path, SEED);
    await rebuilt;
    expect((await get(`${preview.url}site/`)).body).toContain('DeepSeek releases R1');
  });

  it('refuses every path that leaves the build, plain or encoded', async () => {
    const { preview } = await start();
    for (const path of [
      '/../events.yaml',
      '/site/../../events.yaml',
      '/%2e%2e/events.yaml',
      '/site/%2e%2e%2f%2e%2e%2fevents.yaml',
      '/..%5cevents.yaml',
      '/events.yaml',
      '/%ZZ',
    ]) {
      expect(await rawStatus(preview.url, path)).toBe(404);
    }
  });

  it('listens on 127.0.0.1 by default and stops cleanly on Ctrl-C', async () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: dir, env: { ...process.env, CHRONICLE_CACHE: 'off' } });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const url = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += String(chunk);
        const match = /on (http:\/\/\S+) /.exec(out);
        if (match) resolve(match[1]!);
      });
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await get(url)).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});

describe.skipIf(!hasChromium)('the preview in Chromium', () => {
  it('reloads an open page when the file changes', async () => {
    const { preview, path } = await start();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${preview.url}site/`);
      await page.waitForTimeout(200);
      const navigated = page.waitForEvent('load');
      writeFileSync(path, SEED.replace('DeepSeek releases R1, an open-weight', 'Reloaded, DeepSeek releases R1, an open-weight'));
      await navigated;
      // The page reloaded by itself (nothing here navigates it) and shows the new title.
      await page.waitForFunction(
        () => document.querySelector('#event-deepseek-r1-release h3')?.textContent?.includes('Reloaded, DeepSeek releases R1'),
        null,
        { timeout: 10_000 },
      );
    } finally {
      await browser.close();
    }
  });
});

/** A raw request with the method and Host header given (fetch would not let us forge Host). */
function rawRequest(
  base: string,
  options: { path?: string; method?: string; host?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: hostname.replace(/^\[|\]$/g, ''),
        port,
        path: options.path ?? '/',
        method: options.method ?? 'GET',
        ...(options.host !== undefined ? { headers: { host: options.host } } : {}),
        setHost: options.host === undefined,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += String(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

// Issue 9 §5: DNS rebinding, methods, the favicon, and a word when the preview is on the network.
describe('the preview server answers only what it should', () => {
  it('refuses a Host that is not loopback or the --host given (DNS rebinding), on every path', async () => {
    const { preview } = await start();
    const port = new URL(preview.url).port;
    for (const host of ['attacker.example', `attacker.example:${port}`, 'localhost.attacker.example', '127.0.0.1.nip.io', '']) {
      for (const path of ['/', '/site/', '/site/feed.xml', '/_chronicle/events']) {
        const response = await rawRequest(preview.url, { path, host });
        expect(response.status, `${host} ${path}`).toBe(403);
        expect(response.body).not.toContain('DeepSeek');
      }
    }
    for (const host of [
      'localhost',
      `localhost:${port}`,
      `LOCALHOST:${port}`,
      '127.0.0.1',
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      '[::1]',
    ]) {
      const response = await rawRequest(preview.url, { path: '/site/', host });
      expect(response.status, host).toBe(200);
      expect(response.body).toContain('DeepSeek');
    }
  });

  it('answers the --host it listens on, and with a wildcard host any IP address but never a name', async () => {
    const dir = tempDir({ 'events.yaml': SEED });
    preview = await startPreview({ file: 'events.yaml', cwd: dir, port: 0, host: '127.0.0.2' });
    expect((await rawRequest(preview.url, { host: '127.0.0.2' })).status).toBe(200);
    expect((await rawRequest(preview.url, { host: 'attacker.example' })).status).toBe(403);
    await preview.close();
    preview = await startPreview({ file: 'events.yaml', cwd: dir, port: 0, host: '0.0.0.0' });
    const port = new URL(preview.url).port;
    const url = `http://127.0.0.1:${port}/`;
    for (const host of [`192.168.1.20:${port}`, '10.0.0.7', `[fe80::1]:${port}`, 'localhost'])
      expect((await rawRequest(url, { host })).status, host).toBe(200);
    expect((await rawRequest(url, { host: `attacker.example:${port}` })).status).toBe(403);
  });

  it('refuses methods other than GET and HEAD with 405 and Allow, and answers HEAD without a body', async () => {
    const { preview } = await start();
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const response = await rawRequest(preview.url, { method, path: '/site/' });
      expect(response.status, method).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
    }
    const head = await rawRequest(preview.url, { method: 'HEAD', path: '/site/' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const events = await rawRequest(preview.url, { method: 'HEAD', path: '/_chronicle/events' });
    expect(events.status).toBe(200);
  });

  it('serves /favicon.ico without an error status', async () => {
    const { preview } = await start();
    const response = await rawRequest(preview.url, { path: '/favicon.ico' });
    expect(response.status).toBeLessThan(400);
  });

  it('says the preview is reachable from the network with --host 0.0.0.0, and not on loopback', async () => {
    const dir = tempDir({ 'events.yaml': SEED });
    for (const [host, reachable] of [
      ['0.0.0.0', true],
      ['127.0.0.1', false],
    ] as const) {
      const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', host], {
        cwd: dir,
        env: { ...process.env, CHRONICLE_CACHE: 'off' },
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += String(chunk);
      });
      const url = await new Promise<string>((resolve) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += String(chunk);
          const match = /on http:\/\/\S+:(\d+)\/ /.exec(out);
          if (match) resolve(`http://127.0.0.1:${match[1]}/`);
        });
      });
      // One answered request first: the server is up and its Ctrl-C handler is in place.
      expect((await get(url)).status).toBe(200);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      if (reachable) expect(stderr).toMatch(/reachable from the network/);
      else expect(stderr).not.toMatch(/network/);
    }
  });
});

describe.skipIf(!hasChromium)('the preview pages in Chromium', () => {
  it('load with no console error (the favicon included)', async () => {
    const { preview } = await start();
    const browser = await launchChromium();
    try {
      for (const path of ['', 'site/', 'newsletter/']) {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(`${preview.url}${path}`);
        await page.waitForTimeout(300);
        expect(errors, path).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
