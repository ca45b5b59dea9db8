// `chronicle newsletter [file] [--since DATE --until DATE | --period week|month] [--issue N]
//  [--subject TEXT] [--intro FILE] [--now DATE] [--locale en|fr] [-o out] [--templates DIR]`
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { EXIT, UsageError, UserError } from '../errors.js';
import type { Timeline } from '../events/model.js';
import { checkOutputFolder, existingIssues, writeOutput } from '../io/output.js';
import type { IssueFiles } from '../newsletter/site.js';
import { loadOrReport } from './build.js';
import type { CommandIO } from './io.js';
import { parseNowOption } from './options.js';

export interface NewsletterCommandOptions {
  file?: string;
  since?: string;
  until?: string;
  period?: string;
  issue?: string;
  subject?: string;
  intro?: string;
  now?: string;
  locale?: string;
  out?: string;
  templates?: string;
  allowEmpty?: boolean;
  quiet?: boolean;
  recipients?: string;
  /** An SMTP address, or true for CHRONICLE_SMTP_URL. */
  send?: string | boolean;
  rate?: string;
  /** The suppression list; default: newsletter.suppressions, else suppressions.csv beside the events file. */
  suppressions?: string;
}

export async function newsletter(options: NewsletterCommandOptions, io: CommandIO): Promise<number> {
  const now = parseNowOption(options.now);
  const file = options.file ?? 'events.yaml';
  const outDir = options.out ?? 'out';
  checkOutputFolder(outDir, io.cwd, file);
  const issueNumber = parseIssueNumber(options.issue);
  const intro = options.intro === undefined ? undefined : await readIntro(resolve(io.cwd, options.intro), options.intro);
  const sendUrl =
    options.send === undefined || options.send === false ? undefined : options.send === true ? io.env.CHRONICLE_SMTP_URL : options.send;
  if (options.send !== undefined && options.send !== false && !sendUrl)
    throw new UsageError('--send needs an SMTP address, or CHRONICLE_SMTP_URL', 'e.g. --send smtp://user:password@smtp.example.org:587');
  if (sendUrl && !options.recipients) throw new UsageError('--send needs --recipients: whom to send to');
  const rate = parseRate(options.rate);
  const timeline = await loadOrReport(file, io, now);
  if (!timeline) return EXIT.failure;
  // Before anything is written: the secret that signs the links, the whole list, the suppressions, the login.
  const list = options.recipients ? await openList(timeline, file, options, io, sendUrl, rate) : undefined;
  const { issueWindow } = await import('../newsletter/window.js');
  const window = issueWindow(timeline.now, options);
  const issue = await prepareIssue(timeline, io, {
    outDir,
    window,
    locale: options.locale ?? timeline.locale,
    ...(issueNumber !== undefined ? { issueNumber } : {}),
    ...(options.subject !== undefined ? { subject: options.subject } : {}),
    ...(intro !== undefined ? { intro } : {}),
    ...(options.templates ? { templatesDir: resolve(io.cwd, options.templates) } : {}),
    allowEmpty: options.allowEmpty === true,
  });
  if (!issue) {
    io.stdout(`no events between ${window.since} and ${window.until}: nothing to send\n`);
    return EXIT.ok;
  }
  const out = resolve(io.cwd, outDir);
  await writeOutput(out, issue.files);
  if (!options.quiet) io.stdout(`${issue.summary}\n`);
  if (!list) return EXIT.ok;

  const { deliverIssue, redact } = await import('../newsletter/deliver.js');
  const folder = resolve(out, 'newsletter', issue.issue.id);
  let progress: ((done: number) => void) | undefined;
  if (io.interactive && !options.quiet) {
    const { renderProgress } = await import('../newsletter/progress.js');
    const total = list.recipients.length;
    progress = (done) => {
      if (done % 50 === 0 || done === total) io.stderr(`\r${renderProgress(done, total)}`);
    };
  }
  const report = await deliverIssue({
    timeline,
    compiled: issue.issue.compiled,
    issueId: issue.issue.id,
    folder,
    recipients: list.recipients,
    suppressions: list.suppressions,
    suppressionsPath: list.suppressionsPath,
    ...(io.env.CHRONICLE_SECRET ? { secret: io.env.CHRONICLE_SECRET } : {}),
    ...(sendUrl ? { sendUrl } : {}),
    ...(rate ? { rate } : {}),
    ...(progress ? { onProgress: progress } : {}),
  });
  if (progress) io.stderr('\n');
  const suppressedNote = report.suppressed > 0 ? ` (${report.suppressed} on the suppression list: none written)` : '';
  io.stdout(`${report.written} personalised messages in ${relative(io.cwd, folder)}/${suppressedNote}\n`);
  if (!sendUrl) return EXIT.ok;
  for (const bounce of report.bounced) io.stderr(`chronicle: ${bounce.email} bounced: ${bounce.reason} (added to the suppression list)\n`);
  for (const later of report.deferred) io.stderr(`chronicle: ${later.email} deferred: ${later.reason}\n`);
  io.stdout(
    `sent ${report.sent}, bounced ${report.bounced.length}, deferred ${report.deferred.length}, suppressed ${report.suppressed}, already sent ${report.skipped} through ${redact(sendUrl)}\n`,
  );
  if (report.deferred.length > 0) {
    io.stderr(
      `chronicle: ${report.deferred.length} deferred by the server for now: run the same command again later to retry them (the send log keeps the others from getting it twice)\n`,
    );
    return EXIT.failure;
  }
  return EXIT.ok;
}

/** The list, the suppression list and the SMTP login, all checked before the issue is written. */
async function openList(
  timeline: Timeline,
  file: string,
  options: NewsletterCommandOptions,
  io: CommandIO,
  sendUrl: string | undefined,
  rate: number | undefined,
) {
  const { requireSecret } = await import('../newsletter/site.js');
  requireSecret(timeline.newsletter.unsubscribeUrl, io.env.CHRONICLE_SECRET);
  const { readRecipients } = await import('../newsletter/recipients.js');
  const name = options.recipients!;
  const { recipients, notices } = await readRecipients(resolve(io.cwd, name), name);
  for (const notice of notices) io.stderr(`${name}:${notice.line}: ${notice.message}\n`);
  const { readSuppressions, suppressionsPathOf } = await import('../newsletter/suppressions.js');
  const suppressionsPath = suppressionsPathOf(timeline, file, options.suppressions, io.cwd);
  const suppressions = await readSuppressions(suppressionsPath, relative(io.cwd, suppressionsPath));
  // A wrong password or an unreachable server stops here, with nothing written or sent.
  if (sendUrl) await (await import('../newsletter/deliver.js')).checkSender(sendUrl, rate);
  return { recipients, suppressions, suppressionsPath };
}

export interface WriteIssueOptions {
  outDir: string;
  window: import('../newsletter/window.js').IssueWindow;
  locale: string;
  issueNumber?: number;
  subject?: string;
  intro?: string;
  templatesDir?: string;
  allowEmpty?: boolean;
  baseUrl?: string;
  /** Say that the .eml has no List-Unsubscribe without CHRONICLE_SECRET (`build` stays quiet). */
  warnWithoutSecret?: boolean;
}

/** The issue's files (with the archive page) and a line saying what they are; undefined when empty. */
export async function prepareIssue(
  timeline: Timeline,
  io: CommandIO,
  options: WriteIssueOptions,
): Promise<{ files: Map<string, string | Buffer>; summary: string; issue: IssueFiles } | undefined> {
  const { buildIssueFiles } = await import('../newsletter/site.js');
  const baseUrl = options.baseUrl ?? timeline.baseUrl;
  const issue = await buildIssueFiles(timeline, {
    ...options,
    ...(baseUrl ? { baseUrl } : {}),
    ...(io.env.CHRONICLE_SECRET ? { secret: io.env.CHRONICLE_SECRET } : {}),
  });
  if (!issue) return undefined;
  const out = resolve(io.cwd, options.outDir);
  const { readIssueIndex, renderArchive } = await import('../newsletter/archive.js');
  const archive = await renderArchive(timeline, await readIssueIndex(out, await existingIssues(out)), issue.entry, {
    locale: options.locale,
    ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}),
    ...(baseUrl ? { baseUrl } : {}),
  });
  for (const [name, content] of archive) issue.files.set(name, content);
  const where = relative(io.cwd, resolve(out, 'newsletter', issue.id));
  return {
    issue,
    files: issue.files,
    summary: `wrote ${where}.html, .txt and .eml: "${issue.subject}", ${issue.eventCount} event${issue.eventCount === 1 ? '' : 's'}, HTML ${Math.round(issue.compiled.htmlBytes / 1024)} KB`,
  };
}

function parseRate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(value.trim());
  if (!match || Number(match[1]) <= 0)
    throw new UsageError(`--rate ${JSON.stringify(value)} is not a number of messages a second`, 'e.g. --rate 10/s');
  return Number(match[1]);
}

function parseIssueNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,6}$/.test(value)) throw new UsageError(`--issue ${JSON.stringify(value)} is not an issue number`, 'e.g. --issue 12');
  return Number(value);
}

async function readIntro(path: string, name: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw new UserError(`cannot read the intro ${name}: ${(error as Error).message}`, { cause: error });
  }
}
