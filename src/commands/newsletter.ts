// `chronicle newsletter [file] [--since DATE --until DATE | --period week|month] [--issue N]
//  [--subject TEXT] [--intro FILE] [--now DATE] [--locale en|fr] [-o out] [--templates DIR]`
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { EXIT, UsageError, UserError } from '../errors.js';
import type { Timeline } from '../events/model.js';
import { checkOutputFolder, existingIssues, writeOutput } from '../io/output.js';
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
}

export async function newsletter(options: NewsletterCommandOptions, io: CommandIO): Promise<number> {
  const now = parseNowOption(options.now);
  const file = options.file ?? 'events.yaml';
  const outDir = options.out ?? 'out';
  checkOutputFolder(outDir, io.cwd, file);
  const issueNumber = parseIssueNumber(options.issue);
  const intro = options.intro === undefined ? undefined : await readIntro(resolve(io.cwd, options.intro), options.intro);
  const timeline = await loadOrReport(file, io, now);
  if (!timeline) return EXIT.failure;
  const { issueWindow } = await import('../newsletter/window.js');
  const window = issueWindow(timeline.now, options);
  const written = await writeIssue(timeline, io, {
    outDir,
    window,
    locale: options.locale ?? timeline.locale,
    ...(issueNumber !== undefined ? { issueNumber } : {}),
    ...(options.subject !== undefined ? { subject: options.subject } : {}),
    ...(intro !== undefined ? { intro } : {}),
    ...(options.templates ? { templatesDir: resolve(io.cwd, options.templates) } : {}),
    allowEmpty: options.allowEmpty === true,
    quiet: options.quiet === true,
  });
  if (!written) io.stdout(`no events between ${window.since} and ${window.until}: nothing to send\n`);
  return EXIT.ok;
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
  quiet?: boolean;
  baseUrl?: string;
}

/** Renders and writes one issue and the archive page; false when the window is empty. */
export async function writeIssue(timeline: Timeline, io: CommandIO, options: WriteIssueOptions): Promise<boolean> {
  const issue = await prepareIssue(timeline, io, options);
  if (!issue) return false;
  await writeOutput(resolve(io.cwd, options.outDir), issue.files);
  if (!options.quiet) io.stdout(`${issue.summary}\n`);
  return true;
}

/** The issue's files (with the archive page) and a line saying what they are; undefined when empty. */
export async function prepareIssue(
  timeline: Timeline,
  io: CommandIO,
  options: WriteIssueOptions,
): Promise<{ files: Map<string, string | Buffer>; summary: string } | undefined> {
  const { buildIssueFiles, renderArchive } = await import('../newsletter/site.js');
  const baseUrl = options.baseUrl ?? timeline.baseUrl;
  const issue = await buildIssueFiles(timeline, {
    ...options,
    ...(baseUrl ? { baseUrl } : {}),
    ...(io.env.CHRONICLE_SECRET ? { secret: io.env.CHRONICLE_SECRET } : {}),
  });
  if (!issue) return undefined;
  const out = resolve(io.cwd, options.outDir);
  const issues = [...(await existingIssues(out)), issue.id];
  issue.files.set(
    'newsletter/index.html',
    await renderArchive(timeline, issues, {
      locale: options.locale,
      ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}),
    }),
  );
  if (timeline.newsletter.unsubscribeUrl?.includes('{{token}}') && !io.env.CHRONICLE_SECRET) {
    io.stderr(
      'chronicle: warning: CHRONICLE_SECRET is not set, so the .eml has no List-Unsubscribe header (newsletter.unsubscribe_url uses {{token}})\n',
    );
  }
  const where = relative(io.cwd, resolve(out, 'newsletter', issue.id));
  return {
    files: issue.files,
    summary: `wrote ${where}.html, .txt and .eml: "${issue.subject}", ${issue.eventCount} event${issue.eventCount === 1 ? '' : 's'}, HTML ${Math.round(issue.compiled.htmlBytes / 1024)} KB`,
  };
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
