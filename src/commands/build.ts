// `chronicle build [file] [-o out] [--now DATE] [--locale en|fr] [--base-url URL] [--templates DIR] [--no-cache]`
import { join, relative, resolve } from 'node:path';
import { EXIT } from '../errors.js';
import type { Timeline } from '../events/model.js';
import { checkOutputFolder, existingIssues, writeOutput } from '../io/output.js';
import { readIssueIndex } from '../newsletter/issue-index.js';
import type { CommandIO } from './io.js';
import { loadOrReport } from './load-or-report.js';
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
  /** `--no-cache`: render everything again. */
  cache?: boolean;
}

export async function build(options: BuildOptions, io: CommandIO): Promise<number> {
  const rerun = await io.rerunIfLarge?.(resolve(io.cwd, options.file ?? 'events.yaml'));
  if (rerun !== undefined) return rerun;
  try {
    return await buildOnce(options, io, true);
  } catch (error) {
    const { DamagedItemFile } = await import('../events/stored-event.js');
    if (!(error instanceof DamagedItemFile)) throw error;
    // An event read from the item file did not decode (its sum matched: only other code could have
    // written it). Nothing reached the output folder (the files are swapped in only once all are
    // written), so the build is made again from the events file alone, and the item file anew.
    return buildOnce(options, io, false);
  }
}

/** `itemFile`: read the item file (else start from an empty item cache, written anew after). */
async function buildOnce(options: BuildOptions, io: CommandIO, itemFile: boolean): Promise<number> {
  const { buildSite, describeIssue } = await import('../site/build-site.js');
  const { createRenderer } = await import('../site/renderer.js');
  const { parseBaseUrl, resolveCacheDir, resolveSettings } = await import('../site/settings.js');
  const { hashKey, readFragmentCache, writeFragmentCache } = await import('../pipeline/fragments.js');
  const { emptyItemCache, readItemCache, writeItemCache } = await import('../io/item-cache-file.js');
  const now = parseNowOption(options.now);
  const baseUrl = parseBaseUrl(options.baseUrl);
  const file = options.file ?? 'events.yaml';
  const outDir = options.out ?? 'out';
  const out = resolve(io.cwd, outDir);
  checkOutputFolder(outDir, io.cwd, file);
  // Events read by earlier builds of the same file, by the hash of their text.
  const cacheDir = resolveCacheDir({ ...(options.cache === false ? { cache: false } : {}) }, io.env);
  const cacheName = cacheDir ? hashKey(resolve(io.cwd, file)) : undefined;
  const items = cacheDir && cacheName ? await (itemFile ? readItemCache(cacheDir, cacheName) : emptyItemCache()) : undefined;
  // Rendered fragments of earlier builds of the same file, by content (never trusted beyond their
  // key): read while the events file is loaded. Not before the item file is read: at 10,000 events
  // the fragment file is ~40 MB, and reading both at once slowed the item file's read, which the
  // build waits on, two- to threefold.
  const fragmentsRead = cacheDir && cacheName ? readFragmentCache(cacheDir, cacheName) : undefined;
  const timeline = await loadOrReport(file, io, now, { quiet: options.quiet === true, ...(items ? { items } : {}) });
  // Written while the site is rendered and written (it never fails a build: see writeItemCache).
  const itemsWritten = items && cacheDir && cacheName ? writeItemCache(cacheDir, cacheName, items) : undefined;
  // Awaited at the end; until then a bug there must not count as an unhandled rejection.
  itemsWritten?.catch(() => undefined);
  if (!timeline) {
    await itemsWritten;
    return EXIT.failure;
  }
  try {
    return await render(timeline);
  } finally {
    // Also before a build made again without the item file writes that file anew.
    await itemsWritten;
  }

  async function render(timeline: Timeline): Promise<number> {
    const settings = resolveSettings(
      {
        locale: options.locale,
        baseUrl,
        ...(options.templates ? { templatesDir: resolve(io.cwd, options.templates) } : {}),
        ...(options.cache === false ? { cache: false } : {}),
      },
      timeline,
      io.env,
    );
    const renderer = await createRenderer(settings);
    // The current issue of the newsletter (the month that holds now) goes with the page.
    const { issueWindow } = await import('../newsletter/window.js');
    const window = issueWindow(timeline.now, {});
    // settings.cacheDir is cacheDir (the same flag and environment, see resolveCacheDir).
    const fragmentsName = settings.cacheDir ? cacheName : undefined;
    const fragments = settings.cacheDir && fragmentsRead ? await fragmentsRead : undefined;
    const site = await buildSite(timeline, {
      settings,
      renderer,
      ...(fragments ? { fragments } : {}),
      ...(options.newsletter === false
        ? {}
        : { issue: { window, existingIssues: await existingIssues(out), issueIndex: await readIssueIndex(out) } }),
    });
    // With caching on, the files this build replaces are kept in the cache for the next build to
    // write into (io/output.ts, SPARE). The fragments are saved
    // once every output is rendered, while the files are renamed into place: both wait on the disk,
    // neither on the other.
    let saving: Promise<void> | undefined;
    const cacheDirOfFragments = settings.cacheDir;
    await writeOutput(out, site.files, outDir, {
      ...(settings.cacheDir ? { spare: join(settings.cacheDir, 'spare', hashKey(out)) } : {}),
      whenWritten: () => {
        if (fragments && cacheDirOfFragments && fragmentsName) saving = writeFragmentCache(cacheDirOfFragments, fragmentsName, fragments);
      },
    });
    await saving;
    if (!options.quiet) {
      const page = relative(io.cwd, resolve(out, 'index.html'));
      const feeds = [...site.files.keys()].filter((f) => f !== 'index.html' && !f.startsWith('newsletter/'));
      io.stdout(`wrote ${page} (${timeline.events.length} events) and ${feeds.join(', ')}\n`);
      if (options.newsletter !== false) {
        io.stdout(
          site.issue
            ? `${describeIssue(site.issue, relative(io.cwd, resolve(out, 'newsletter', site.issue.id)))}\n`
            : `no events between ${window.since} and ${window.until}: no newsletter issue was written\n`,
        );
      }
      io.stdout(`open ${page} in a browser to see the timeline\n`);
    }
    return EXIT.ok;
  }
}
