// One personalised .eml per recipient not on the suppression list and, with --send, sent over SMTP
// through a pool. A 5xx refusal is a bounce (logged, suppressed), a 4xx is retried by the next run,
// and a login or connection failure stops the run. A send log in the issue's folder records who got
// the issue, so running again sends only to those who did not: never twice to anyone.
import { appendFile, mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { type ChronicleError, chronicleError } from '../errors.js';
import type { Timeline } from '../events/model.js';
import { addressOf, compileMessageTemplate } from './mime.js';
import type { Recipient } from './recipients.js';
import type { CompiledIssue } from './render.js';
import { personalUnsubscribeUrl, requireSecret } from './site.js';
import { addSuppressions, type Suppression } from './suppressions.js';
import { type Chunk, joinChunks } from './transfer-encoding.js';

export interface DeliveryOptions {
  timeline: Timeline;
  compiled: CompiledIssue;
  issueId: string;
  /** The issue's folder: out/newsletter/<issue>/. */
  folder: string;
  /** The whole list, read and checked before anything was written. */
  recipients: Recipient[];
  /** Addresses that get nothing (lowercased), and where new bounces go. */
  suppressions: Map<string, Suppression>;
  suppressionsPath: string;
  secret?: string;
  /** smtp://user:pass@host:port (or smtps://); nothing is sent without it. */
  sendUrl?: string;
  /** Messages a second at most. */
  rate?: number;
  onProgress?: (done: number) => void;
}

export interface DeliveryReport {
  written: number;
  sent: number;
  /** Already in the send log: not sent again. */
  skipped: number;
  /** On the suppression list: no file, nothing sent. */
  suppressed: number;
  /** Refused for good (5xx): in the send log as bounced, and now suppressed. */
  bounced: { email: string; reason: string }[];
  /** Refused for now (4xx): a rerun tries again. */
  deferred: { email: string; reason: string }[];
}

interface Sender {
  url: string;
  transport: Transporter;
  close(): void;
}

const SEND_LOG = 'sent.jsonl';
const IN_FLIGHT = 8;
// Files written at once when nothing is sent: libuv's four threads each open, write and close one, so
// one file's wait for the disk and the scheduler overlaps the next one's (on a busy machine that wait is
// most of the time).
const WRITES_IN_FLIGHT = 4;

/** Connects and logs in once, so a wrong address or password stops the run before anything is written. */
export async function checkSender(url: string, rate?: number): Promise<void> {
  (await openSender(url, rate)).close();
}

async function openSender(url: string, rate?: number): Promise<Sender> {
  const transport = smtpTransport(url, rate);
  try {
    await transport.verify();
  } catch (error) {
    transport.close();
    throw fatalSmtpError(url, error as SmtpError);
  }
  return { url, transport, close: () => transport.close() };
}

export async function deliverIssue(options: DeliveryOptions): Promise<DeliveryReport> {
  const { timeline, compiled } = options;
  const unsubscribe = timeline.newsletter.unsubscribeUrl;
  requireSecret(unsubscribe, options.secret);
  const from = timeline.newsletter.from ?? `${compiled.view.name} <newsletter@chronicle.invalid>`;
  await mkdir(options.folder, { recursive: true });
  const logPath = join(options.folder, SEND_LOG);
  const alreadySent = options.sendUrl ? await readSendLog(logPath) : new Set<string>();
  const sender = options.sendUrl ? await openSender(options.sendUrl, options.rate) : undefined;
  const template = await compileMessageTemplate({
    from,
    ...(timeline.newsletter.replyTo ? { replyTo: timeline.newsletter.replyTo } : {}),
    subject: compiled.view.subject,
    date: timeline.now,
    issueId: options.issueId,
    listName: compiled.view.name,
    hasUnsubscribe: Boolean(unsubscribe),
    unsubscribeMailbox: timeline.newsletter.replyTo ?? from,
  });
  const report: DeliveryReport = { written: 0, sent: 0, skipped: 0, suppressed: 0, bounced: [], deferred: [] };
  const pending = new Set<Promise<void>>();
  let fatal: Error | undefined;
  // Bounces are appended one at a time: the suppression list is read, then added to.
  let suppressing: Promise<unknown> = Promise.resolve();
  const suppress = (email: string, reason: string) => {
    suppressing = suppressing.then(() =>
      addSuppressions(options.suppressionsPath, [{ email, reason, date: timeline.now }], options.suppressions),
    );
    return suppressing;
  };
  let done = 0;
  const writes = new Map<string, Promise<void>>();
  let writeError: Error | undefined;
  try {
    for (const recipient of options.recipients) {
      if (fatal) break;
      const key = recipient.email.toLowerCase();
      if (options.suppressions.has(key)) {
        report.suppressed++;
        options.onProgress?.(++done);
        continue;
      }
      const unsubscribeUrl = unsubscribe ? personalUnsubscribeUrl(unsubscribe, recipient.email, options.secret) : undefined;
      const parts = compiled.renderParts({
        recipient: { ...recipient.fields, name: recipient.name, email: recipient.email },
        unsubscribe_url: unsubscribeUrl ?? '',
      });
      const chunks = template.fillChunks({
        to: recipient.name ? `"${recipient.name.replace(/["\\]/g, '')}" <${recipient.email}>` : recipient.email,
        html: parts.html,
        text: parts.text,
        ...(unsubscribeUrl ? { unsubscribeUrl } : {}),
      });
      const path = join(options.folder, `${fileNameOf(recipient.email)}.eml`);
      if (!sender) {
        // A file alone is written from its pieces, a few at once; a second write to the same file (a
        // library caller's list may repeat an address) waits for the first, so the last row still wins.
        await writes.get(path);
        const writing = writeChunks(path, chunks).then(
          () => {
            report.written++;
            options.onProgress?.(++done);
          },
          (error: Error) => {
            writeError ??= error;
          },
        );
        writes.set(path, writing);
        writing.finally(() => writes.get(path) === writing && writes.delete(path));
        if (writes.size >= WRITES_IN_FLIGHT) await Promise.race(writes.values());
        if (writeError) throw writeError;
        continue;
      }
      // Sending needs the message whole.
      const message = joinChunks(chunks);
      await writeFile(path, message);
      report.written++;
      options.onProgress?.(++done);
      if (alreadySent.has(key)) {
        report.skipped++;
        continue;
      }
      const sending = sender.transport
        .sendMail({ envelope: { from: addressOf(from), to: recipient.email }, raw: message })
        .then(
          async () => {
            report.sent++;
            await appendFile(logPath, `${JSON.stringify({ email: recipient.email, issue: options.issueId })}\n`);
          },
          async (error: SmtpError) => {
            const kind = classify(error);
            const reason = firstLine(error.response ?? error.message);
            if (kind === 'fatal') fatal ??= fatalSmtpError(sender.url, error);
            else if (kind === 'deferred') report.deferred.push({ email: recipient.email, reason });
            else {
              report.bounced.push({ email: recipient.email, reason });
              await appendFile(
                logPath,
                `${JSON.stringify({ email: recipient.email, issue: options.issueId, status: 'bounced', reply: reason })}\n`,
              );
              await suppress(recipient.email, `bounced: ${reason}`);
            }
          },
        )
        .finally(() => pending.delete(sending));
      pending.add(sending);
      if (pending.size >= IN_FLIGHT) await Promise.race(pending);
    }
    await Promise.all(pending);
    await suppressing;
  } finally {
    await Promise.all(writes.values());
    sender?.close();
  }
  if (writeError) throw writeError;
  if (fatal) throw fatal;
  return report;
}

type SmtpError = Error & { code?: string; responseCode?: number; response?: string; command?: string };

/** A refusal of one recipient is theirs (5xx for good, 4xx for now); anything else stops the run. */
function classify(error: SmtpError): 'bounced' | 'deferred' | 'fatal' {
  const perRecipient = (error.code === 'EENVELOPE' || error.code === 'EMESSAGE') && error.command !== 'MAIL FROM';
  if (!perRecipient || !error.responseCode) return 'fatal';
  if (error.responseCode >= 500) return 'bounced';
  if (error.responseCode >= 400) return 'deferred';
  return 'fatal';
}

function fatalSmtpError(url: string, error: SmtpError): ChronicleError {
  const data = { server: redact(url), reply: firstLine(error.response ?? error.message) };
  return chronicleError(error.code === 'EAUTH' ? 'smtp-login-refused' : 'smtp-unreachable', data, { cause: error });
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}

function smtpTransport(url: string, rate: number | undefined): Transporter {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw chronicleError('send-not-smtp-address', { value: redact(url) });
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw chronicleError('send-not-smtp-scheme', { value: redact(url) });
  return nodemailer.createTransport({
    host: parsed.hostname,
    port: Number(parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587)),
    secure: parsed.protocol === 'smtps:',
    ...(parsed.username ? { auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } } : {}),
    pool: true,
    maxConnections: 2,
    ...(rate ? { rateDelta: 1000, rateLimit: rate } : {}),
    // A local test server has no certificate; STARTTLS is used when the server offers it.
    tls: { rejectUnauthorized: !['127.0.0.1', 'localhost', '::1'].includes(parsed.hostname) },
  });
}

/** Who got the issue already (bounced entries are not "sent"). */
async function readSendLog(path: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return new Set();
  }
  const sent = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as { email?: unknown; status?: unknown };
      if (typeof entry.email === 'string' && entry.status === undefined) sent.add(entry.email.toLowerCase());
    } catch {
      throw chronicleError('send-log-damaged', { file: path });
    }
  }
  return sent;
}

/** Writes a message's chunks with one writev instead of joining ~60 KB first. */
async function writeChunks(path: string, chunks: readonly Chunk[]): Promise<void> {
  const buffers: Buffer[] = [];
  let text = '';
  for (const chunk of chunks) {
    if (typeof chunk === 'string') text += chunk;
    else {
      if (text) buffers.push(Buffer.from(text, 'utf8'));
      text = '';
      buffers.push(chunk);
    }
  }
  if (text) buffers.push(Buffer.from(text, 'utf8'));
  const file = await open(path, 'w');
  try {
    const { bytesWritten } = await file.writev(buffers);
    // A short write (rare for a file): the rest from where it stopped.
    if (bytesWritten < buffers.reduce((n, b) => n + b.length, 0)) await file.writeFile(Buffer.concat(buffers).subarray(bytesWritten));
  } finally {
    await file.close();
  }
}

/** A file name from an address: the address itself where it is safe, anything else %-encoded, so two
 * addresses never share a file (`a!b@` is `a%21b@`, `a_b@` stays). */
export function fileNameOf(email: string): string {
  return email
    .toLowerCase()
    .replace(/[^a-z0-9@._+-]/g, (c) => [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

/** An SMTP address without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
