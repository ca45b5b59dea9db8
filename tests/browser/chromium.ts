// Debian's Chromium driven by playwright-core (never a downloaded browser), and a tiny static
// server on 127.0.0.1 so pages load over http like a published site.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../../bench/chromium.js';
import { generateEventsFile } from '../../bench/generate-events.js';
import { ROOT, runBinary, tempDir } from '../helpers.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  // CI sets this: there, a missing browser must fail the run rather than skip the browser tests.
  if (process.env.CHRONICLE_REQUIRE_BROWSER) throw new Error(`${CHROMIUM} is missing and CHRONICLE_REQUIRE_BROWSER is set`);
  console.log(`browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
  });
}

/** A generated timeline of `events` events built by the real binary into a temporary folder
 * (removed after the test file); returns the output folder. */
export function buildGeneratedSite(events: number): string {
  const dir = tempDir({ 'events.yaml': generateEventsFile({ events }) });
  const out = join(dir, 'out');
  const result = runBinary(['build', join(dir, 'events.yaml'), '-o', out, '--no-newsletter'], { cwd: ROOT });
  if (result.code !== 0) throw new Error(result.stderr);
  return out;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.ics': 'text/calendar',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
};

/** Serves a folder on 127.0.0.1 at a free port. */
export async function serveFolder(folder: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(folder, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
