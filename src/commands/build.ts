// `chronicle build [file] [-o out] [--now DATE] [--locale en|fr] [--base-url URL] [--templates DIR]`
import { relative, resolve } from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import type { Timeline } from '../events/model.js';
import { loadEventsFile } from '../io/load-events-file.js';
import { checkOutputFolder, writeOutput } from '../io/output.js';
import { formatProblems, summarizeProblems } from '../report.js';
import type { CommandIO } from './io.js';
import { parseNowOption } from './options.js';

export interface BuildOptions {
  file?: string;
  out?: string;
  now?: string;
  locale?: string;
  baseUrl?: string;
  templates?: string;
  quiet?: boolean;
  /** `--no-newsletter`: the page and feeds only (no MJML to load). */
  newsletter?: boolean;
}

export async function build(options: BuildOptions, io: CommandIO): Promise<number> {
  const now = parseNowOption(options.now);
  const baseUrl = parseBaseUrl(options.baseUrl);
  const file = options.file ?? 'events.yaml';
  const outDir = options.out ?? 'out';
  checkOutputFolder(outDir, io.cwd, file);
  const timeline = await loadOrReport(file, io, now);
  if (!timeline) return EXIT.failure;
  const { buildTimelineSite } = await import('../timeline/site.js');
  const files = await buildTimelineSite(timeline, {
    locale: options.locale ?? timeline.locale,
    ...((baseUrl ?? timeline.baseUrl) ? { baseUrl: baseUrl ?? timeline.baseUrl } : {}),
    ...(options.templates ? { templatesDir: resolve(io.cwd, options.templates) } : {}),
  });
  // The current issue of the newsletter (the month that holds now) goes with the page.
  const { issueWindow } = await import('../newsletter/window.js');
  const window = issueWindow(timeline.now, {});
  const issue =
    options.newsletter === false
      ? undefined
      : await (await import('./newsletter.js')).prepareIssue(timeline, io, {
          outDir,
          window,
          locale: options.locale ?? timeline.locale,
          warnWithoutSecret: false,
          ...(baseUrl ? { baseUrl } : {}),
          ...(options.templates ? { templatesDir: resolve(io.cwd, options.templates) } : {}),
        });
  const all = new Map<string, string | Buffer | Iterable<string>>([...files, ...(issue?.files ?? [])]);
  const out = resolve(io.cwd, outDir);
  await writeOutput(out, all, outDir);
  if (!options.quiet) {
    const page = relative(io.cwd, resolve(out, 'index.html'));
    io.stdout(`wrote ${page} (${timeline.events.length} events) and ${[...files.keys()].filter((f) => f !== 'index.html').join(', ')}\n`);
    if (options.newsletter !== false) {
      io.stdout(issue ? `${issue.summary}\n` : `no events between ${window.since} and ${window.until}: no newsletter issue was written\n`);
    }
    io.stdout(`open ${page} in a browser to see the timeline\n`);
  }
  return EXIT.ok;
}

/** The timeline, or undefined after printing its problems as `check` does. In a function of its
 * own so the file's text (tens of MB for a big file) is not kept alive during the build. */
export async function loadOrReport(file: string, io: CommandIO, now: string | undefined): Promise<Timeline | undefined> {
  const loaded = await loadEventsFile(file, { cwd: io.cwd, ...(now ? { now } : {}) });
  if (loaded.timeline) return loaded.timeline;
  io.stderr(`${formatProblems(loaded.problems, { sources: new Map([[loaded.file, loaded.text]]), color: io.color })}\n\n`);
  io.stderr(`${summarizeProblems(loaded.file, loaded.problems)}; nothing was built\n`);
  return undefined;
}

function parseBaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--base-url ${JSON.stringify(value)} is not an absolute link`, 'e.g. --base-url https://example.org/timeline/');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError('--base-url must be an http or https link');
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}
