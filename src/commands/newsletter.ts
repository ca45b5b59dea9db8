// `chronicle newsletter [file] [--since DATE --until DATE | --period week|month] [--issue N]
//  [--subject TEXT] [--intro FILE] [--now DATE] [--locale en|fr] [-o out] [--templates DIR]`
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { EXIT, UsageError, UserError } from '../errors.js';
import type { Timeline } from '../events/model.js';
import { checkOutputFolder, existingIssues, prepareOutputFolder, writeOutput } from '../io/output.js';
import { readIssueIndex } from '../newsletter/issue-index.js';
import type { IssueFiles } from '../newsletter/site.js';
import type { Settings } from '../site/settings.js';
import type { CommandIO } from './io.js';
import { loadOrReport } from './load-or-report.js';
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
  /** false with --no-cache: compile the MJML again even when the issue is unchanged. */
  cache?: boolean;
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
  const timeline = await loadOrReport(file, io, now, { quiet: options.quiet === true });
  if (!timeline) return EXIT.failure;
  const { resolveSettings } = await import('../site/settings.js');
  const settings = resolveSettings(
    {
      locale: options.locale,
      ...(options.templates ? { templatesDir: resolve(io.cwd, options.templates) } : {}),
      ...(options.cache === false ? { cache: false } : {}),
    },
    timeline,
    io.env,
  );
  // Before anything is written: the secret that signs the links, the whole list, the suppressions, the login.
  const list = options.recipients ? await openList(timeline, file, settings, options, io, sendUrl, rate) : undefined;
  const issue = await writeIssue(timeline, settings, io, {
    outDir,
    period: options,
    ...(issueNumber !== undefined ? { issueNumber } : {}),
    ...(options.subject !== undefined ? { subject: options.subject } : {}),
    ...(intro !== undefined ? { intro } : {}),
    allowEmpty: options.allowEmpty === true,
    quiet: options.quiet === true,
  });
  if (!issue) return EXIT.ok;
  const out = resolve(io.cwd, outDir);
  if (!list) return EXIT.ok;

  const { deliverIssue, redact } = await import('../newsletter/deliver.js');
  // Made with no link on the way nor in it: per-reader files are written one by one, not staged.
  const folder = await prepareOutputFolder(out, `newsletter/${issue.id}`, outDir);
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
    compiled: issue.compiled,
    issueId: issue.id,
    folder,
    recipients: list.recipients,
    suppressions: list.suppressions,
    suppressionsPath: list.suppressionsPath,
    ...(settings.secret ? { secret: settings.secret } : {}),
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
  settings: Settings,
  options: NewsletterCommandOptions,
  io: CommandIO,
  sendUrl: string | undefined,
  rate: number | undefined,
) {
  const { requireSecret } = await import('../newsletter/site.js');
  requireSecret(timeline.newsletter.unsubscribeUrl, settings.secret);
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

interface WriteIssueOptions {
  outDir: string;
  period: { since?: string; until?: string; period?: string };
  issueNumber?: number;
  subject?: string;
  intro?: string;
  allowEmpty: boolean;
  quiet: boolean;
}

/** Builds the issue (and the archive page) through the site builder and writes it; undefined
 * (after saying so) when its window holds no event. */
async function writeIssue(
  timeline: Timeline,
  settings: Settings,
  io: CommandIO,
  options: WriteIssueOptions,
): Promise<IssueFiles | undefined> {
  const [{ buildSite, describeIssue }, { createRenderer }, { issueWindow }] = await Promise.all([
    import('../site/build-site.js'),
    import('../site/renderer.js'),
    import('../newsletter/window.js'),
  ]);
  const window = issueWindow(timeline.now, options.period);
  const out = resolve(io.cwd, options.outDir);
  const site = await buildSite(timeline, {
    settings,
    renderer: await createRenderer(settings),
    page: false,
    issue: {
      window,
      existingIssues: await existingIssues(out),
      issueIndex: await readIssueIndex(out),
      ...(options.issueNumber !== undefined ? { issueNumber: options.issueNumber } : {}),
      ...(options.subject !== undefined ? { subject: options.subject } : {}),
      ...(options.intro !== undefined ? { intro: options.intro } : {}),
      allowEmpty: options.allowEmpty,
    },
  });
  if (!site.issue) {
    io.stdout(`no events between ${window.since} and ${window.until}: nothing to send\n`);
    return undefined;
  }
  await writeOutput(out, site.files, options.outDir);
  if (!options.quiet) io.stdout(`${describeIssue(site.issue, relative(io.cwd, resolve(out, 'newsletter', site.issue.id)))}\n`);
  return site.issue;
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
