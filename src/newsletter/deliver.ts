// One personalised .eml per recipient, written as the list is read (memory does not grow with it),
// and, with --send, sent over SMTP through a pool. A send log in the issue's folder records who got
// the issue, so running again sends only to those who did not: never twice to anyone.
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { UsageError, UserError } from '../errors.js';
import type { Timeline } from '../events/model.js';
import { addressOf, compileMessageTemplate } from './mime.js';
import { type RecipientNotice, readRecipients } from './recipients.js';
import type { CompiledIssue } from './render.js';
import { personalUnsubscribeUrl, requireSecret } from './site.js';

export interface DeliveryOptions {
  timeline: Timeline;
  compiled: CompiledIssue;
  issueId: string;
  /** The issue's folder: out/newsletter/<issue>/. */
  folder: string;
  recipientsPath: string;
  recipientsName: string;
  secret?: string;
  /** smtp://user:pass@host:port (or smtps://); nothing is sent without it. */
  sendUrl?: string;
  /** Messages a second at most. */
  rate?: number;
  onNotice: (notice: RecipientNotice) => void;
  onProgress?: (done: number) => void;
}

export interface DeliveryReport {
  written: number;
  sent: number;
  skipped: number;
  failed: { email: string; reason: string }[];
}

const SEND_LOG = 'sent.jsonl';
const IN_FLIGHT = 8;

export async function deliverIssue(options: DeliveryOptions): Promise<DeliveryReport> {
  const { timeline, compiled } = options;
  const unsubscribe = timeline.newsletter.unsubscribeUrl;
  requireSecret(unsubscribe, options.secret);
  const from = timeline.newsletter.from ?? `${compiled.view.name} <newsletter@chronicle.invalid>`;
  const transport = options.sendUrl ? smtpTransport(options.sendUrl, options.rate) : undefined;
  await mkdir(options.folder, { recursive: true });
  const logPath = join(options.folder, SEND_LOG);
  const alreadySent = transport ? await readSendLog(logPath) : new Set<string>();
  const template = await compileMessageTemplate({
    from,
    subject: compiled.view.subject,
    date: timeline.now,
    issueId: options.issueId,
    listName: compiled.view.name,
    hasUnsubscribe: Boolean(unsubscribe),
  });
  const report: DeliveryReport = { written: 0, sent: 0, skipped: 0, failed: [] };
  const pending = new Set<Promise<void>>();
  try {
    for await (const recipient of readRecipients(options.recipientsPath, options.recipientsName, options.onNotice)) {
      const unsubscribeUrl = unsubscribe ? personalUnsubscribeUrl(unsubscribe, recipient.email, options.secret) : undefined;
      const parts = compiled.render({
        recipient: { ...recipient.fields, name: recipient.name, email: recipient.email },
        unsubscribe_url: unsubscribeUrl ?? '',
      });
      const message = template.fill({
        to: recipient.name ? `"${recipient.name.replace(/["\\]/g, '')}" <${recipient.email}>` : recipient.email,
        html: parts.html,
        text: parts.text,
        ...(unsubscribeUrl ? { unsubscribeUrl } : {}),
      });
      await writeFile(join(options.folder, `${fileNameOf(recipient.email)}.eml`), message);
      report.written++;
      options.onProgress?.(report.written);
      if (!transport) continue;
      if (alreadySent.has(recipient.email.toLowerCase())) {
        report.skipped++;
        continue;
      }
      const sending = transport
        .sendMail({ envelope: { from: addressOf(from), to: recipient.email }, raw: message })
        .then(
          async () => {
            report.sent++;
            await appendFile(logPath, `${JSON.stringify({ email: recipient.email, issue: options.issueId })}\n`);
          },
          (error: Error) => {
            report.failed.push({ email: recipient.email, reason: error.message.split('\n')[0] ?? String(error) });
          },
        )
        .finally(() => pending.delete(sending));
      pending.add(sending);
      if (pending.size >= IN_FLIGHT) await Promise.race(pending);
    }
    await Promise.all(pending);
  } finally {
    transport?.close();
  }
  return report;
}

function smtpTransport(url: string, rate: number | undefined) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `--send ${JSON.stringify(redact(url))} is not an SMTP address`,
      'e.g. --send smtp://user:password@smtp.example.org:587',
    );
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') throw new UsageError('--send takes an smtp:// or smtps:// address');
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
      const entry = JSON.parse(line) as { email?: unknown };
      if (typeof entry.email === 'string') sent.add(entry.email.toLowerCase());
    } catch {
      throw new UserError(`the send log ${path} is damaged`, {
        hint: 'fix or remove the broken line; every line is {"email": ...} for a reader who got the issue',
      });
    }
  }
  return sent;
}

/** A file name from an address: the address itself where it is safe. */
function fileNameOf(email: string): string {
  return email.toLowerCase().replace(/[^a-z0-9@._+-]/g, '_');
}

/** An SMTP address without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
