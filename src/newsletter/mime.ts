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
  html: string;
  text: string;
  unsubscribeUrl?: string;
}

export interface MessageTemplate {
  fill(message: RecipientMessage): Buffer;
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
  // The HTML part, the bulk of the message, is base64: ASCII, so it becomes bytes by a copy.
  const HTML = Symbol('html');
  const slots: { marker: string; fill: (m: RecipientMessage, id: string) => string | typeof HTML }[] = [
    { marker: `To: ${TO}`, fill: (m) => toHeader(m.to) },
    { marker: idPlaceholder, fill: (_m, id) => id },
    { marker: quotedPrintable(TEXT_PART), fill: (m) => quotedPrintable(m.text, lineCache) },
    { marker: base64Lines(HTML_PART), fill: () => HTML },
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

  return {
    fill(message) {
      assertHeaderSafe('the recipient', message.to);
      if (message.unsubscribeUrl) assertHeaderSafe('the unsubscribe link', message.unsubscribeUrl);
      const id = createHash('sha256')
        .update(`${issue.issueId}\0${addressOf(message.to).toLowerCase()}`)
        .digest('hex')
        .slice(0, 32);
      const chunks: Buffer[] = [];
      let out = pieces[0]!;
      found.forEach((slot, i) => {
        const value = slot.fill(message, id);
        if (value === HTML) {
          chunks.push(Buffer.from(out, 'utf8'), base64LineBytes(message.html));
          out = '';
        } else out += value;
        out += pieces[i + 1]!;
      });
      chunks.push(Buffer.from(out, 'utf8'));
      return Buffer.concat(chunks);
    },
  };
}

/** Text as quoted-printable (RFC 2045 6.7), line by line: printable ASCII stays as it is, every other
 * byte and `=` become =XX, a space or tab ending a line is encoded, and lines over 76 characters get
 * soft breaks. nodemailer's own wrap breaks lines that are short already. */
export function quotedPrintable(text: string, cache?: Map<string, string>): string {
  const normal = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  if (!cache)
    return normal
      .split('\n')
      .map((line) => softWrap(encodeLine(line)))
      .join('\r\n');
  // Lines are encoded independently, so paragraphs can be too: each one that is the same for every
  // recipient is encoded once (an empty line encodes to nothing, so the blank line between stays).
  let out = '';
  const blocks = normal.split('\n\n');
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    let encoded = cache.get(block);
    if (encoded === undefined) {
      encoded = quotedPrintable(block);
      // Paragraphs that differ per recipient would fill it: it keeps the first few thousand.
      if (cache.size < 4096) cache.set(block, encoded);
    }
    out += i === 0 ? encoded : `\r\n\r\n${encoded}`;
  }
  return out;
}

/** base64Lines as bytes, without building the lines as strings: the base64 is written once, then each
 * line is moved right (last first, in place) to make room for the CRLF before it. */
export function base64LineBytes(text: string): Buffer {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  const n = encoded.length;
  const lines = Math.max(Math.ceil(n / 76), 1);
  const out = Buffer.allocUnsafe(n + 2 * (lines - 1));
  out.write(encoded, 0, 'latin1');
  for (let i = lines - 1; i >= 1; i--) {
    const to = i * 78;
    out.copyWithin(to, i * 76, Math.min((i + 1) * 76, n));
    out[to - 2] = 13;
    out[to - 1] = 10;
  }
  return out;
}

/** UTF-8 text as base64 in lines of 76 characters joined by CRLF, as nodemailer writes a body. */
export function base64Lines(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  if (encoded.length <= 76) return encoded;
  const lines: string[] = [];
  for (let at = 0; at < encoded.length; at += 76) lines.push(encoded.slice(at, at + 76));
  return lines.join('\r\n');
}

function encodeLine(line: string): string {
  let out = '';
  for (const byte of Buffer.from(line, 'utf8')) {
    out += (byte >= 33 && byte <= 126 && byte !== 61) || byte === 32 || byte === 9 ? String.fromCharCode(byte) : `=${HEX[byte]}`;
  }
  const last = out.charCodeAt(out.length - 1);
  if (last === 32 || last === 9) out = `${out.slice(0, -1)}=${HEX[last]}`;
  return out;
}

function softWrap(line: string): string {
  if (line.length <= 76) return line;
  const parts: string[] = [];
  let rest = line;
  while (rest.length > 76) {
    let cut = 75;
    // Never split an =XX triple.
    if (rest[cut - 1] === '=') cut -= 1;
    else if (rest[cut - 2] === '=') cut -= 2;
    parts.push(`${rest.slice(0, cut)}=`);
    rest = rest.slice(cut);
  }
  parts.push(rest);
  return parts.join('\r\n');
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

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
