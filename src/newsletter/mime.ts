// A ready-to-send message: nodemailer composes it (stream transport, CRLF), multipart/alternative
// with the text part first. The Message-ID is stable for the same issue and recipient.
import { createHash, createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import { UserError } from '../errors.js';

export interface MessageParts {
  from: string;
  to: string;
  subject: string;
  /** `YYYY-MM-DD`: the Date header (now), at midnight UTC so outputs stay reproducible. */
  date: string;
  issueId: string;
  listName: string;
  html: string;
  text: string;
  unsubscribeUrl?: string;
}

/** Refuses anything bound for a header that could start a header of its own. */
export function assertHeaderSafe(what: string, value: string): void {
  if (/[\r\n]/.test(value))
    throw new UserError(`${what} contains a line break, which would let it add mail headers`, {
      hint: `remove the line break from ${what}`,
    });
}

export async function composeMessage(parts: MessageParts): Promise<Buffer> {
  for (const [what, value] of [
    ['the subject', parts.subject],
    ['the sender (newsletter.from)', parts.from],
    ['the recipient', parts.to],
    ['the newsletter name', parts.listName],
  ] as const) {
    assertHeaderSafe(what, value);
  }
  const domain = /@([^>\s]+)>?\s*$/.exec(parts.from)?.[1] ?? 'chronicle.invalid';
  const messageId = `<${createHash('sha256').update(`${parts.issueId}\0${parts.to.toLowerCase()}`).digest('hex').slice(0, 32)}@${domain}>`;

  const listId = `${parts.listName.replace(/[<>"]/g, '')} <${slug(parts.listName)}.${domain}>`;
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const headers: Record<string, string> = { 'List-Id': listId };
  if (parts.unsubscribeUrl) {
    headers['List-Unsubscribe'] = `<${parts.unsubscribeUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const hash = createHash('sha256').update(`${parts.issueId}\0${parts.to.toLowerCase()}`).digest('hex');
  const info = await transport.sendMail({
    // The multipart boundary from the same hash: the same inputs give the same bytes.
    baseBoundary: hash.slice(32, 48),
    from: parts.from,
    to: parts.to,
    subject: parts.subject,
    date: new Date(`${parts.date}T00:00:00Z`),
    messageId,
    headers,
    text: parts.text,
    html: parts.html,
  });
  return info.message as Buffer;
}

/** The recipient's opaque unsubscribe token: HMAC-SHA256 of the address, base64url. */
export function unsubscribeToken(address: string, secret: string): string {
  return createHmac('sha256', secret).update(address.trim().toLowerCase()).digest('base64url');
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'newsletter'
  );
}
