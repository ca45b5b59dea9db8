// Ready-to-send messages. nodemailer's MailComposer builds the message once per issue, with
// placeholders where recipients differ (To, Message-ID, List-Unsubscribe, and the two bodies: the
// text quoted-printable, readable and what spam filters expect of mostly-ASCII text; the HTML base64);
// each recipient then costs a few string joins and two encodings, not a MIME build.
// multipart/alternative with the text part first, CRLF line ends, a stable Message-ID and boundary.
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import MimeNode from 'nodemailer/lib/mime-node';
import { chronicleError } from '../errors.js';
import { slugify } from '../events/new-event.js';
import type { Part } from './render.js';
import { base64LineBytes, base64Lines, type Chunk, joinChunks, partsEncoder, quotedPrintable } from './transfer-encoding.js';

export interface IssueHeaders {
  from: string;
  replyTo?: string;
  subject: string;
  /** `YYYY-MM-DD`: the Date header (now), at midnight UTC so outputs stay reproducible. */
  date: string;
  issueId: string;
  listName: string;
  hasUnsubscribe: boolean;
  /** Without an unsubscribe link, List-Unsubscribe is a mailto: to this address (reply_to, else from). */
  unsubscribeMailbox?: string;
}

export interface RecipientMessage {
  /** An address, or `"Name" <address>`. */
  to: string;
  /** The bodies, or pass 2's parts of them (cheaper: what every recipient shares is encoded once). */
  html: string | readonly Part[];
  text: string | readonly Part[];
  unsubscribeUrl?: string;
}

export interface MessageTemplate {
  fill(message: RecipientMessage): Buffer;
  /** The same bytes in pieces, for a file written without joining them first. */
  fillChunks(message: RecipientMessage): Chunk[];
}

/** Refuses anything bound for a header that could start a header of its own. */
export function assertHeaderSafe(what: string, value: string): void {
  if (/[\r\n]/.test(value)) throw chronicleError('header-line-break', { what });
}

/** The same for an option's value: the message names the option (`--subject` on the command line). */
export function assertOptionHeaderSafe(option: string, value: string): void {
  if (/[\r\n]/.test(value)) throw chronicleError('header-line-break', { option });
}

const TO = 'recipient@chronicle.invalid';
const UNSUBSCRIBE = 'https://chronicle.invalid/unsubscribe';
// Non-ASCII, so nodemailer sends the parts base64 (what we re-encode per recipient).
const TEXT_PART = 'chronicle text part é';
const HTML_PART = 'chronicle html part é';

export async function compileMessageTemplate(issue: IssueHeaders): Promise<MessageTemplate> {
  for (const [what, value] of [
    ['the subject', issue.subject],
    ['the sender (newsletter.from)', issue.from],
    ['the newsletter name', issue.listName],
    ['the reply address (newsletter.reply_to)', issue.replyTo ?? ''],
  ] as const) {
    assertHeaderSafe(what, value);
  }
  const domain = /@([^>\s]+)>?\s*$/.exec(issue.from)?.[1] ?? 'chronicle.invalid';
  const idPlaceholder = '0'.repeat(32);
  const headers: Record<string, string> = { 'List-Id': `${issue.listName.replace(/[<>"]/g, '')} <${slugify(issue.listName)}.${domain}>` };
  if (issue.hasUnsubscribe) {
    headers['List-Unsubscribe'] = `<${UNSUBSCRIBE}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  } else if (issue.unsubscribeMailbox) {
    // No link to click: a reply asking to unsubscribe is the way out (RFC 2369).
    headers['List-Unsubscribe'] = `<mailto:${encodeURI(addressOf(issue.unsubscribeMailbox))}?subject=unsubscribe>`;
  }
  const skeleton = (
    await new MailComposer({
      from: issue.from,
      ...(issue.replyTo ? { replyTo: issue.replyTo } : {}),
      to: TO,
      subject: issue.subject,
      date: new Date(`${issue.date}T00:00:00Z`),
      messageId: `<${idPlaceholder}@${domain}>`,
      // The boundary from the issue: the same inputs give the same bytes.
      baseBoundary: createHash('sha256').update(issue.issueId).digest('hex').slice(0, 16),
      textEncoding: 'base64',
      headers,
      text: { content: TEXT_PART, contentTransferEncoding: 'quoted-printable' },
      html: HTML_PART,
    })
      .compile()
      .build()
  ).toString('utf8');

  // Most lines of the text part are the same for every recipient: each is encoded once.
  const lineCache = new Map<string, string>();
  const encoder = partsEncoder();
  // The bodies come as chunks (strings, and buffers encoded once for everyone), joined once at the end.
  const slots: { marker: string; fill: (m: RecipientMessage, id: string) => string | Chunk[] }[] = [
    { marker: `To: ${TO}`, fill: (m) => toHeader(m.to) },
    { marker: idPlaceholder, fill: (_m, id) => id },
    {
      marker: quotedPrintable(TEXT_PART),
      fill: (m) => (typeof m.text === 'string' ? quotedPrintable(m.text, lineCache) : encoder.quotedPrintable(m.text)),
    },
    {
      marker: base64Lines(HTML_PART),
      fill: (m) => (typeof m.html === 'string' ? [base64LineBytes(m.html)] : encoder.base64(m.html)),
    },
  ];
  if (issue.hasUnsubscribe) slots.push({ marker: UNSUBSCRIBE, fill: (m) => m.unsubscribeUrl ?? '' });
  const found = slots.map((slot) => ({ ...slot, at: skeleton.indexOf(slot.marker) })).sort((a, b) => a.at - b.at);
  if (found.some((slot) => slot.at === -1)) throw new Error('internal: the message skeleton lacks a placeholder');
  const pieces: string[] = [];
  let cursor = 0;
  for (const slot of found) {
    pieces.push(skeleton.slice(cursor, slot.at));
    cursor = slot.at + slot.marker.length;
  }
  pieces.push(skeleton.slice(cursor));

  const fillChunks = (message: RecipientMessage): Chunk[] => {
    assertHeaderSafe('the recipient', message.to);
    if (message.unsubscribeUrl) assertHeaderSafe('the unsubscribe link', message.unsubscribeUrl);
    const id = createHash('sha256')
      .update(`${issue.issueId}\0${addressOf(message.to).toLowerCase()}`)
      .digest('hex')
      .slice(0, 32);
    const chunks: Chunk[] = [pieces[0]!];
    found.forEach((slot, i) => {
      const value = slot.fill(message, id);
      if (typeof value === 'string') chunks.push(value);
      else chunks.push(...value);
      chunks.push(pieces[i + 1]!);
    });
    return chunks;
  };
  return { fillChunks, fill: (message) => joinChunks(fillChunks(message)) };
}

/** The To header as nodemailer writes it (RFC 2047 for a name that is not ASCII, folded). */
export function toHeader(to: string): string {
  // The common case, a plain ASCII name, as nodemailer writes it, without building a MIME node.
  if (PLAIN_ADDRESS.test(to) && to.length <= 68) return `To: ${to}`;
  const plain = PLAIN_NAMED.exec(to);
  if (plain && to.length <= 68) return `To: ${plain[1]} <${plain[2]}>`;
  const node = new MimeNode();
  node.setHeader('To', to);
  const line = node
    .buildHeaders()
    .split(/\r\n(?=\S)/)
    .find((h) => h.startsWith('To:'));
  if (!line) throw new Error('internal: nodemailer wrote no To header');
  return line;
}

const PLAIN_ADDRESS = /^[a-z0-9]+(?:[._+-][a-z0-9]+)*@[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const PLAIN_NAMED = /^"([A-Za-z0-9]+(?: [A-Za-z0-9]+)*)" <([a-z0-9]+(?:[._+-][a-z0-9]+)*@[a-z0-9]+(?:[.-][a-z0-9]+)*)>$/;

export function addressOf(to: string): string {
  return /<([^>]+)>\s*$/.exec(to)?.[1] ?? to;
}
