// The preview server's front door, before any output is looked up: a page of another site must not
// read the preview through DNS rebinding (its name resolving to 127.0.0.1), so only loopback Host
// names and the --host given are answered; only GET and HEAD; /favicon.ico without a console error.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** Whether a request's Host header names this preview. With a wildcard or network --host, any IP
 * address is answered too (rebinding needs a name the attacker controls; an address is not one),
 * and this machine's own name; other names never are. */
export function hostGuard(listenHost: string): (hostHeader: string | undefined) => boolean {
  const names = new Set([...LOOPBACK_NAMES, bracketed(listenHost.toLowerCase())]);
  const onNetwork = !isLoopback(listenHost);
  if (onNetwork) for (const name of [hostname(), `${hostname()}.local`]) names.add(name.toLowerCase());
  return (hostHeader) => {
    const name = hostName(hostHeader);
    if (name === undefined) return false;
    return names.has(name) || (onNetwork && isIP(name.replace(/^\[|\]$/g, '')) !== 0);
  };
}

/** Answers the requests the preview must not serve; true when it did (the caller stops there). */
export function answerGuarded(request: IncomingMessage, response: ServerResponse, admits: (host: string | undefined) => boolean): boolean {
  if (!admits(request.headers.host)) {
    response
      .writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
      .end('This chronicle preview answers only to localhost, 127.0.0.1 and [::1] (and the --host it was started with).\n');
    return true;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('only GET and HEAD\n');
    return true;
  }
  const path = (request.url ?? '/').split('?')[0];
  if (path === '/favicon.ico') {
    // No icon of its own: "no content" keeps the browser from logging a 404 on every page.
    response.writeHead(204, { 'cache-control': 'max-age=86400' }).end();
    return true;
  }
  if (request.method === 'HEAD' && path === '/_chronicle/events') {
    // A HEAD must not join the reload stream (it would stay open with no body to send).
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' }).end();
    return true;
  }
  return false;
}

/** For a preview that listens beyond loopback: a line saying who can reach it, or undefined. */
export function networkNotice(listenHost: string, port: number): string | undefined {
  if (isLoopback(listenHost)) return undefined;
  const wildcard = listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '[::]';
  const addresses = wildcard
    ? Object.values(networkInterfaces())
        .flat()
        .filter((a) => a && !a.internal && a.family === 'IPv4')
        .map((a) => `http://${a!.address}:${port}/`)
    : [`http://${bracketed(listenHost)}:${port}/`];
  return `the preview is reachable from the network${addresses.length ? ` (${addresses.join(', ')})` : ''}: anyone who can reach this machine can read it; use --host 127.0.0.1 to keep it local`;
}

export function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || (isIP(name) === 4 && name.startsWith('127.'));
}

/** `localhost:4321` → `localhost`, `[::1]:4321` → `[::1]`; undefined when it is not a Host value. */
function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]\s]+)(?::\d{1,5})?$/i.exec(header.trim());
  return match?.[1]?.toLowerCase();
}

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
