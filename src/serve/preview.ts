// `chronicle serve`: builds into memory and serves the timeline, the feeds and the current newsletter
// issue on localhost, rebuilding when the events file or a template changes and telling open pages
// to reload (server-sent events). Bad data never stops it: the pages show the located problems.
import { type FSWatcher, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { ItemCache } from '../events/item-cache.js';
import { loadTimeline } from '../events/load.js';
import type { Timeline } from '../events/model.js';
import { codeFingerprint } from '../io/check-cache.js';
import { readEventsFile } from '../io/read-events-file.js';
import { HTML_BUDGET_BYTES } from '../newsletter/render.js';
import { issueWindow } from '../newsletter/window.js';
import { FragmentCache } from '../pipeline/fragments.js';
import { escapeHtml } from '../render/escape.js';
import { BUILTIN_TEMPLATES } from '../render/locales.js';
import { createTemplateSet, type TemplateSet } from '../render/templates.js';
import { formatError, formatProblems, summarizeProblems } from '../report.js';
import { buildSite, type Content } from '../site/build-site.js';
import { createRenderer } from '../site/renderer.js';
import { resolveCacheDir, resolveSettings } from '../site/settings.js';
import { answerGuarded, hostGuard } from './guard.js';

export interface PreviewOptions {
  file: string;
  cwd: string;
  port: number;
  host: string;
  templatesDir?: string;
  now?: string;
  /** Where settings come from after the flags and the file (CHRONICLE_CACHE...). */
  env?: Record<string, string | undefined>;
  onLog?: (line: string) => void;
  /** The unsubscribe endpoint, mounted at /unsubscribe/ for an end-to-end try. */
  unsubscribe?: (request: IncomingMessage, response: ServerResponse) => void;
}

export interface Preview {
  url: string;
  /** Resolves after the next rebuild (tests wait on it). */
  rebuilt(): Promise<void>;
  close(): Promise<void>;
}

/** A body, or a page's parts in order (never joined into one string), or parts made when first asked for. */
type Output = { type: string; body: string | Buffer | readonly Part[] | (() => readonly Part[]) };
/** A part of a page: text, or bytes (a fragment as a cache file holds it). */
type Part = string | Buffer;

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  xml: 'application/atom+xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
  ics: 'text/calendar; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  eml: 'message/rfc822',
};

/** How long a burst of change events may last (the pieces of one write come within microseconds). */
const SETTLE_MS = 8;
/** How long pages that show problems wait for another change before they reload. */
const PROBLEMS_GRACE_MS = 150;

const RELOAD_SCRIPT = '<script>new EventSource("/_chronicle/events").addEventListener("reload",()=>location.reload())</script>';

export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const path = resolve(options.cwd, options.file);
  const name = relative(options.cwd, path) || path;
  let outputs = new Map<string, Output>();
  // Everything but the page (feeds, calendar, the issue, this preview's index) is rendered when first
  // asked for: a save reaches the browser's reload after the page alone.
  let extras: (() => Promise<Map<string, Output>>) | undefined;
  let lastText: string | undefined;
  let lastTimeline: Timeline | undefined;
  const clients = new Set<ServerResponse>();
  let waiting: (() => void)[] = [];
  // Compiled templates are kept from one rebuild to the next until a template changes.
  let templates: TemplateSet | undefined;
  let templatesChanged = true;
  // Rendered events, kept in memory: a save renders only the events it changed.
  const fragments = new FragmentCache();
  // Events read before, kept in memory: a save reads and checks only the items whose text changed.
  const items =
    resolveCacheDir({}, options.env ?? {}) === undefined ? undefined : new ItemCache(codeFingerprint(), [], { keepEvents: true });

  /** The size and modification time of the file as last read. */
  let lastStamp: string | undefined;

  /** Builds the outputs again; false when they show problems (or an error) instead of the timeline. */
  async function rebuild(): Promise<boolean> {
    const started = performance.now();
    let text: string;
    try {
      // The same checked reader as build: UTF-8 and size limits.
      ({ text, stamp: lastStamp } = await readSettled(path, name));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      outputs = errorPages(error.message);
      extras = undefined;
      return false;
    }
    // The parsed file is reused when only a template changed.
    const sameData = text === lastText && lastTimeline;
    const { timeline, problems } = sameData
      ? { timeline: lastTimeline, problems: [] }
      : loadTimeline(text, {
          file: name,
          // The preview shows no warnings (check and build report them): a save does not lint.
          lint: false,
          ...(options.now ? { now: options.now } : {}),
          ...(items ? { items } : {}),
        });
    if (!timeline) {
      lastText = undefined;
      extras = undefined;
      outputs = errorPages(`${formatProblems(problems, { sources: new Map([[name, text]]) })}\n\n${summarizeProblems(name, problems)}`);
      options.onLog?.(`${summarizeProblems(name, problems)}; showing the problems`);
      return false;
    }
    lastText = text;
    lastTimeline = timeline;
    try {
      if (templatesChanged || !templates) templates = createTemplateSet(options.templatesDir);
      templatesChanged = false;
      const current = templates;
      outputs = await renderPages(timeline, options, current, fragments);
      fragments.settle();
      extras = once(async () => {
        try {
          return await renderExtras(timeline, options, current);
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          return errorPages(formatError(error));
        }
      });
      options.onLog?.(`rebuilt in ${Math.round(performance.now() - started)} ms`);
      return true;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      extras = undefined;
      outputs = errorPages(formatError(error));
      options.onLog?.(`${formatError(error).trimEnd()}; showing it`);
      return false;
    }
  }

  await rebuild();
  const server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      options.onLog?.(`could not render ${request.url}: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('could not render this output\n');
    });
  });
  const admits = hostGuard(options.host);

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The unsubscribe endpoint takes POST (RFC 8058), so it comes before the GET/HEAD rule, not the Host one.
    if (options.unsubscribe && (request.url ?? '').startsWith('/unsubscribe/') && admits(request.headers.host)) {
      options.unsubscribe(request, response);
      return;
    }
    if (answerGuarded(request, response, admits)) return;
    const url = new URL(request.url ?? '/', 'http://preview');
    if (url.pathname === '/_chronicle/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(': connected\n\n');
      clients.add(response);
      request.on('close', () => clients.delete(response));
      return;
    }
    // Only our own outputs, by exact name: no path reaches the disk, so `..` cannot escape.
    let key: string;
    try {
      key = decodeURIComponent(url.pathname);
    } catch {
      key = '';
    }
    if (key.endsWith('/')) key += 'index.html';
    let output = key.includes('..') ? undefined : outputs.get(key);
    if (!output && extras && !key.includes('..')) output = (await extras()).get(key);
    if (!output) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const body = typeof output.body === 'function' ? output.body() : output.body;
    const html = output.type.startsWith('text/html');
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      response.writeHead(200, { 'content-type': output.type, 'cache-control': 'no-store' });
      response.end(html && typeof body === 'string' ? withReload(body) : body);
      return;
    }
    response.writeHead(200, { 'content-type': output.type, 'cache-control': 'no-store' });
    for (const part of html ? partsWithReload(body) : body) response.write(part);
    response.end();
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new UserError(`port ${options.port} is in use`, { hint: 'choose another with --port' }) : error),
    );
    server.listen(options.port, options.host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;

  // Watch the events file and the templates; a burst of change events (one save written in several
  // pieces) gives one rebuild. The wait is short: what keeps a half-written file off the screen is
  // that a read is repeated while the file changes under it (readSettled), and that a rebuild that
  // shows problems waits a little for another change before the pages reload (an editor that writes
  // slowly sends one before that; its rebuild then reloads the pages with the finished file).
  let timer: NodeJS.Timeout | undefined;
  let building = Promise.resolve();
  let changes = 0;
  const changed = () => {
    changes++;
    clearTimeout(timer);
    timer = setTimeout(() => {
      building = building.then(async () => {
        const seen = changes;
        if (!(await rebuild())) {
          const read = lastStamp;
          await new Promise((resolveWait) => setTimeout(resolveWait, PROBLEMS_GRACE_MS));
          // A newer change is on its way (its event may come after this timer on a busy machine, so
          // the file itself is looked at too): its rebuild reloads.
          if (changes !== seen || (read !== undefined && (await stampOf(path)) !== read)) return;
        }
        for (const client of clients) client.write(`event: reload\ndata: ${Date.now()}\n\n`);
        const done = waiting;
        waiting = [];
        for (const resolveWait of done) resolveWait();
      });
    }, SETTLE_MS);
  };
  const watchers: FSWatcher[] = [
    watch(resolve(path, '..'), (_event, file) => file && resolve(path, '..', file.toString()) === path && changed()),
  ];
  const templatesDir = options.templatesDir ?? BUILTIN_TEMPLATES;
  watchers.push(
    watch(templatesDir, { recursive: true }, () => {
      templatesChanged = true;
      changed();
    }),
  );

  return {
    url: `http://${host}:${port}/`,
    rebuilt: () => new Promise((resolveWait) => waiting.push(resolveWait)),
    close: async () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      for (const client of clients) client.end();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    },
  };
}

/** The file's text, read again (a few times at most) while its size or modification time moves
 * during the read: a save being written is not read half-way when it can be avoided. */
async function readSettled(path: string, name: string): Promise<{ text: string; stamp: string | undefined }> {
  for (let attempt = 0; ; attempt++) {
    const before = await stampOf(path);
    const text = await readEventsFile(path, name);
    const after = await stampOf(path);
    if ((before !== undefined && before === after) || attempt >= 3) return { text, stamp: after };
  }
}

/** The file's size and modification time, or undefined when it cannot be read. */
async function stampOf(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info ? `${info.size}:${info.mtimeMs}` : undefined;
}

function settingsOf(timeline: Timeline, options: PreviewOptions) {
  return resolveSettings(options.templatesDir ? { templatesDir: options.templatesDir } : {}, timeline, options.env ?? {});
}

/** `eager`: the files rendered now (what a reload shows first); the others' parts are made when asked for. */
function addSiteFiles(outputs: Map<string, Output>, files: Map<string, Content>, eager?: (file: string) => boolean): void {
  for (const [file, content] of files) {
    const body =
      typeof content === 'string' || Buffer.isBuffer(content)
        ? content
        : !eager || eager(file)
          ? [...content]
          : onceSync(() => [...content]);
    outputs.set(`/site/${file}`, { type: typeOf(file), body });
  }
}

/** The timeline's pages (the index, the year pages, search.json): what a reload needs. */
async function renderPages(
  timeline: Timeline,
  options: PreviewOptions,
  templates: TemplateSet,
  fragments: FragmentCache,
): Promise<Map<string, Output>> {
  const settings = settingsOf(timeline, options);
  const { files } = await buildSite(timeline, { settings, renderer: await createRenderer(settings, templates), fragments, feeds: false });
  const outputs = new Map<string, Output>();
  // The index is what a reload shows: it is ready before the reload is sent. Year pages and the search
  // index are rendered when the browser asks for them (their events come from the same fragments).
  addSiteFiles(outputs, files, (file) => file === 'index.html');
  return outputs;
}

/** The feeds, the calendar, the newsletter issue and this preview's index. */
async function renderExtras(timeline: Timeline, options: PreviewOptions, templates: TemplateSet): Promise<Map<string, Output>> {
  const settings = settingsOf(timeline, options);
  const { files, issue } = await buildSite(timeline, {
    settings,
    renderer: await createRenderer(settings, templates),
    page: false,
    feeds: true,
    issue: { window: issueWindow(timeline.now, {}), allowEmpty: true, secret: 'preview' },
  });
  const outputs = new Map<string, Output>();
  addSiteFiles(outputs, files);
  const links: string[] = ['<li><a href="/site/">The timeline page</a></li>'];
  for (const feed of ['feed.xml', 'feed.json', 'upcoming.ics', 'timeline.json'].filter((f) => files.has(f)))
    links.push(`<li><a href="/site/${feed}">${feed}</a></li>`);
  if (issue) {
    const reader = issue.compiled.render({
      recipient: { name: 'Ada Lovelace', email: 'ada@example.org' },
      unsubscribe_url: 'https://example.org/unsubscribe/preview',
    });
    outputs.set('/newsletter/reader.html', { type: TYPES.html!, body: reader.html });
    outputs.set('/newsletter/reader.txt', { type: TYPES.txt!, body: reader.text });
    outputs.set('/newsletter/index.html', {
      type: TYPES.html!,
      body: newsletterPreview(issue.id, issue.subject, issue.compiled.htmlBytes),
    });
    links.push(`<li><a href="/newsletter/">The newsletter: ${escapeHtml(issue.subject)}</a></li>`);
  }
  outputs.set('/index.html', {
    type: TYPES.html!,
    body: page('chronicle preview', `<h1>chronicle preview</h1><ul>${links.join('')}</ul>`),
  });
  return outputs;
}

function onceSync<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

function newsletterPreview(id: string, subject: string, bytes: number): string {
  const kb = (bytes / 1024).toFixed(1);
  const budget = (HTML_BUDGET_BYTES / 1024).toFixed(0);
  return page(
    `Newsletter preview: ${subject}`,
    `<h1>${escapeHtml(subject)}</h1>
<p>HTML part: ${kb} KB of the ${budget} KB budget (Gmail clips above about 102 KB).</p>
<p role="group" aria-label="View">
<button type="button" data-src="/site/newsletter/${id}.html">Web version</button>
<button type="button" data-src="/newsletter/reader.html">As a reader gets it</button>
<button type="button" data-src="/newsletter/reader.txt">Text part</button>
<button type="button" data-width="100%">Desktop</button>
<button type="button" data-width="375px">Mobile (375 px)</button>
</p>
<iframe id="frame" title="The issue" src="/newsletter/reader.html" style="width:100%;height:80vh;border:1px solid #ccc"></iframe>
<script>
for (const b of document.querySelectorAll('button')) b.addEventListener('click', () => {
  const f = document.getElementById('frame');
  if (b.dataset.src) f.src = b.dataset.src;
  if (b.dataset.width) f.style.width = b.dataset.width;
});
</script>`,
  );
}

function errorPages(message: string): Map<string, Output> {
  const body = page(
    'chronicle preview: the events file has problems',
    `<h1>The events file has problems</h1><pre>${escapeHtml(message)}</pre><p>Fix them and save: this page reloads by itself.</p>`,
  );
  const outputs = new Map<string, Output>();
  for (const key of ['/index.html', '/site/index.html', '/newsletter/index.html']) outputs.set(key, { type: TYPES.html!, body });
  return outputs;
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font:1rem/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem}pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem}</style></head><body>${body}</body></html>`;
}

/** The parts of a page with the reload script before its last `</body>`. */
function* partsWithReload(parts: readonly Part[]): Generator<Part> {
  let last = parts.length - 1;
  while (last >= 0 && !parts[last]!.includes('</body>')) last--;
  if (last === -1) {
    yield* parts;
    yield RELOAD_SCRIPT;
    return;
  }
  for (let i = 0; i < last; i++) yield parts[i]!;
  yield withReload(parts[last]!.toString());
  for (let i = last + 1; i < parts.length; i++) yield parts[i]!;
}

function withReload(html: string): string {
  const at = html.lastIndexOf('</body>');
  return at === -1 ? html + RELOAD_SCRIPT : html.slice(0, at) + RELOAD_SCRIPT + html.slice(at);
}

function typeOf(file: string): string {
  return TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}
