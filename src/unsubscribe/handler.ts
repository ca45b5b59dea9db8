// The unsubscribe endpoint, as a Fetch API handler (Request in, Response out), so the same code runs
// on Node's http, Cloudflare Workers, Netlify and Vercel functions and Deno. RFC 8058: a mail client's
// one-click POST unsubscribes at once; a GET (a person, or a link scanner) only shows a page with a
// button, so scanners that follow links unsubscribe nobody. A token that is not one of the list's
// gets 403 and the callback is never called.
import { escapeHtml } from '../render/escape.js';
import { resolveUnsubscribeToken } from './token.js';

export interface UnsubscribeHandlerOptions {
  /** CHRONICLE_SECRET: the key the tokens were made with (at least 32 bytes). */
  secret: string;
  /** The list's addresses (each token is resolved through them), or a function that reads them; it is
   * called once, on the first request. */
  recipients: Iterable<string> | (() => Iterable<string> | Promise<Iterable<string>>);
  /** Stores the unsubscription (append to a file, a KV store, a database...). */
  onUnsubscribe(entry: { address: string; token: string }): void | Promise<void>;
  /** The newsletter's name, on the pages. */
  listName?: string;
}

export type FetchHandler = (request: Request) => Promise<Response>;

export function createUnsubscribeHandler(options: UnsubscribeHandlerOptions): FetchHandler {
  if (Buffer.byteLength(options.secret ?? '') < 32) throw new Error('createUnsubscribeHandler: the secret must be at least 32 bytes');
  let lookup: Promise<(token: string) => string | undefined> | undefined;
  const resolveToken = async (token: string) => {
    lookup ??= (async () => {
      const list = typeof options.recipients === 'function' ? await options.recipients() : options.recipients;
      return resolveUnsubscribeToken(list, options.secret);
    })();
    return (await lookup)(token);
  };
  const name = options.listName ?? 'this newsletter';

  return async (request) => {
    const method = request.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST')
      return page(405, 'Method not allowed', '<p>Use the link in the message.</p>', { allow: 'GET, HEAD, POST' });
    const url = new URL(request.url);
    const token = url.searchParams.get('token') ?? decodeSegment(url.pathname.split('/').filter(Boolean).pop() ?? '');
    const address = token ? await resolveToken(token) : undefined;
    if (!address)
      return page(
        403,
        'This link is not valid',
        `<p>This unsubscribe link is not one that ${escapeHtml(name)} sent. Nothing was changed.</p>`,
      );
    if (method === 'POST') {
      // RFC 8058 sends `List-Unsubscribe=One-Click`; our own button sends it too. The body is not needed
      // to decide: a POST to a valid link is the reader's request.
      await options.onUnsubscribe({ address, token });
      return page(200, 'You are unsubscribed', `<p>You will get no more mail from ${escapeHtml(name)}.</p>`);
    }
    const body = `<p>Stop getting ${escapeHtml(name)}?</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`;
    const response = page(200, 'Unsubscribe', body);
    return method === 'HEAD' ? new Response(null, { status: 200, headers: response.headers }) : response;
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

function page(status: number, title: string, body: string, extra: Record<string, string> = {}): Response {
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>:root{color-scheme:light dark}body{font:1.1rem/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1.25rem;cursor:pointer}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-robots-tag': 'noindex',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      ...extra,
    },
  });
}
