// Unsubscribe tokens: HMAC-SHA256 of the lowercased address with CHRONICLE_SECRET, base64url. A token
// names nobody by itself; it is resolved through the list, and compared in constant time.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The recipient's opaque unsubscribe token. */
export function unsubscribeToken(address: string, secret: string): string {
  return createHmac('sha256', secret).update(address.trim().toLowerCase()).digest('base64url');
}

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/** The token in a value: the value itself, or the last path segment or `?token=` of a link; undefined
 * for an address. */
export function tokenOf(value: string): string | undefined {
  const text = value.trim();
  if (/^https?:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      const candidate = url.searchParams.get('token') ?? decodeURIComponent(url.pathname.split('/').filter(Boolean).pop() ?? '');
      return TOKEN.test(candidate) ? candidate : '';
    } catch {
      return '';
    }
  }
  if (text.includes('@')) return undefined;
  return text;
}

/** A lookup from token to address over the list. The candidate is found by a digest of the token
 * (so the lookup's timing says nothing about the expected token), then compared in constant time. */
export function resolveUnsubscribeToken(addresses: Iterable<string>, secret: string): (token: string) => string | undefined {
  const byDigest = new Map<string, { address: string; mac: Buffer }>();
  for (const address of addresses) {
    const mac = Buffer.from(unsubscribeToken(address, secret));
    byDigest.set(digest(mac), { address, mac });
  }
  return (token) => {
    if (!TOKEN.test(token)) return undefined;
    const given = Buffer.from(token);
    const entry = byDigest.get(digest(given));
    if (!entry || entry.mac.length !== given.length || !timingSafeEqual(entry.mac, given)) return undefined;
    return entry.address;
  };
}

function digest(value: Buffer): string {
  return createHash('sha256').update(value).digest('base64');
}
