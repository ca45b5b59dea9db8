// The site builder: every output of a build as content by path, rendered from one Timeline with
// one renderer and one set of settings. `build`, `newsletter` and `serve` all come through here;
// only the caller writes (io/output.ts) or serves the result.
import type { Timeline, TimelineEvent } from '../events/model.js';
import { eventSourceKey } from '../events/source-key.js';
import { StoredEvent } from '../events/stored-event.js';
import type { IssueEntry } from '../newsletter/issue-index.js';
import type { IssueFiles } from '../newsletter/site.js';
import type { IssueWindow } from '../newsletter/window.js';
import { type FragmentStore, hashKey } from '../pipeline/fragments.js';
import { type Summaries, summaries } from '../render/summaries.js';
import { eventsById } from '../timeline/year-size.js';
import type { Renderer } from './renderer.js';
import type { Settings } from './settings.js';

/** A file's content, or its parts in order (the page of 100,000 events is never one string); a
 * part is text or UTF-8 bytes (a fragment as the cache file holds it). */
export type Content = string | Buffer | Iterable<string | Buffer>;

export interface IssueRequest {
  window: IssueWindow;
  issueNumber?: number;
  subject?: string;
  intro?: string;
  allowEmpty?: boolean;
  /** Issue ids already in the output folder, for the archive page. */
  existingIssues?: string[];
  /** What the archive's index (newsletter/issues.json) remembers of them: subjects and periods. */
  issueIndex?: IssueEntry[];
  /** Overrides the settings' secret (the preview signs with a fixed one). */
  secret?: string;
}

export interface SiteRequest {
  settings: Settings;
  renderer: Renderer;
  /** The timeline page and its feeds (default true). */
  page?: boolean;
  /** The feeds, calendar and timeline.json (default: as `page`; serve renders them when asked for). */
  feeds?: boolean;
  /** The newsletter issue of a window and the archive page; none when absent. */
  issue?: IssueRequest;
  /** Rendered fragments from earlier builds (build: a file; serve: memory). */
  fragments?: FragmentStore;
}

export interface Site {
  files: Map<string, Content>;
  /** The issue, when one was asked for and its window holds events (or empty ones are allowed). */
  issue?: IssueFiles;
}

interface Context extends SiteRequest {
  timeline: Timeline;
  site: Site;
  /** With fragments: each event's key, computed once per build (see eventKeys). */
  eventKey?: (event: TimelineEvent) => string;
  /** Each summary as HTML and as text, rendered once per build for every output. */
  summaries: Summaries;
}

/** Each output adds its files; adding an output is one line here. */
const OUTPUTS: ((context: Context) => Promise<void>)[] = [timelinePage, timelineFeeds, newsletterIssue, media];

export async function buildSite(timeline: Timeline, request: SiteRequest): Promise<Site> {
  // Labels and dates follow the renderer's locale; timeline.locale stays the language of the content.
  const site: Site = { files: new Map() };
  const eventKey = request.fragments ? eventKeys(timeline, request.settings, request.renderer, request.fragments) : undefined;
  const shared = summaries(request.fragments);
  for (const output of OUTPUTS) await output({ ...request, timeline, site, summaries: shared, ...(eventKey ? { eventKey } : {}) });
  return site;
}

async function timelinePage({ timeline, settings, renderer, site, fragments, eventKey, summaries, ...request }: Context): Promise<void> {
  if (request.page === false) return;
  const { renderTimelinePages } = await import('../timeline/pages.js');
  const pageOptions = fragments && eventKey ? { fragments, eventKey, summaries } : { summaries };
  const pages = await renderTimelinePages(timeline, renderer.locale, renderer.templates, settings.baseUrl, pageOptions);
  for (const [path, content] of pages) site.files.set(path, content);
}

/** The pictures of events, copied under their content-hashed names (io/event-images.ts read them). */
async function media({ timeline, site }: Context): Promise<void> {
  for (const [path, bytes] of timeline.media ?? []) site.files.set(path, bytes);
}

async function timelineFeeds({ timeline, settings, renderer, site, fragments, eventKey, summaries, ...request }: Context): Promise<void> {
  if ((request.feeds ?? request.page) === false) return;
  const { renderSyndication, timelineJsParts } = await import('../timeline/feeds.js');
  const feedCache = fragments && eventKey ? { fragments, eventKey, summaries } : undefined;
  for (const [name, content] of Object.entries(renderSyndication(timeline, settings.baseUrl, renderer.locale, feedCache)))
    site.files.set(name, content);
  // Made as it is written, in parts (at 100,000 events it is ~90 MB): after the pages, whose views
  // rendered the summaries it shares.
  site.files.set('timeline.json', { [Symbol.iterator]: () => timelineJsParts(timeline, settings.baseUrl, renderer.locale, feedCache) });
}

async function newsletterIssue({ timeline, settings, renderer, site, issue: request }: Context): Promise<void> {
  if (!request) return;
  const [{ buildIssueFiles }, { renderArchive }] = await Promise.all([import('../newsletter/site.js'), import('../newsletter/archive.js')]);
  const secret = request.secret ?? settings.secret;
  const issue = await buildIssueFiles(timeline, {
    window: request.window,
    locale: renderer.code,
    localeFile: renderer.locale,
    templates: renderer.templates,
    ...(renderer.templatesDir ? { templatesDir: renderer.templatesDir } : {}),
    ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
    ...(secret ? { secret } : {}),
    ...(settings.cacheDir ? { cacheDir: settings.cacheDir } : {}),
    ...(request.issueNumber !== undefined ? { issueNumber: request.issueNumber } : {}),
    ...(request.subject !== undefined ? { subject: request.subject } : {}),
    ...(request.intro !== undefined ? { intro: request.intro } : {}),
    ...(request.allowEmpty ? { allowEmpty: true } : {}),
  });
  if (!issue) return;
  site.issue = issue;
  for (const [name, content] of issue.files) site.files.set(name, content);
  const archive = await renderArchive(timeline, { index: request.issueIndex ?? [], fileIds: request.existingIssues ?? [] }, issue.entry, {
    locale: renderer.code,
    localeFile: renderer.locale,
    templates: renderer.templates,
    ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
  });
  for (const [name, content] of archive) site.files.set(name, content);
}

/** What an event's fragments are made of: its own data (not its place in the file), the titles of
 * the events it relates to, and everything of the timeline and settings that is not an event. */
function eventKeys(
  timeline: Timeline,
  settings: Settings,
  renderer: Renderer,
  fragments: FragmentStore | undefined,
): (event: TimelineEvent) => string {
  // The page's views ask for the same map (with the same keeper, brought up to date in serve).
  const byId = eventsById(timeline.events, fragments);
  // Where the caches live is no part of what is rendered (CHRONICLE_CACHE_DIR spelled otherwise
  // must not make every fragment miss).
  const { cacheDir: _cacheDir, ...rendering } = settings;
  const context = hashKey(JSON.stringify({ ...timeline, events: [] }), JSON.stringify(rendering), JSON.stringify(renderer.locale));
  // An event loaded through the item cache has a key from its item's text (no need to serialise
  // it): its key is made each time it is asked for, cheaper than remembering 10,000 of them in a Map
  // (the per-list digests ask for each once; fragments of a changed list ask again). Other events
  // (and those with a picture, whose key is a hash) have theirs made once and kept.
  const kept = new Map<TimelineEvent, string>();
  // Not hashed here: every fragment key made from it is a hash (a sha256 per event was ~30 ms
  // of a 10,000-event rebuild). NUL occurs in none of the three (JSON writes it \u0000), so
  // the joined key tells them apart.
  const keyOf = (event: TimelineEvent, own: string) => {
    const related = event.related.length === 0 ? '[]' : JSON.stringify(event.related.map((id) => byId.get(id)?.title ?? null));
    return `${own}\u0000${context}\u0000${related}`;
  };
  return (event) => {
    if (!event.image) {
      const own = eventSourceKey(event);
      if (own !== undefined) return keyOf(event, own);
    }
    let key = kept.get(event);
    if (key === undefined) {
      // toJSON: an event read from the item file holds its sources and summary behind getters.
      key = keyOf(
        event,
        eventSourceKey(event) ?? JSON.stringify({ ...(event instanceof StoredEvent ? event.toJSON() : event), index: undefined }),
      );
      kept.set(event, key);
    }
    return key;
  };
}

/** The line `build` and `newsletter` print about the issue they wrote. */
export function describeIssue(issue: IssueFiles, where: string): string {
  const events = `${issue.eventCount} event${issue.eventCount === 1 ? '' : 's'}`;
  return `wrote ${where}.html, .txt and .eml: "${issue.subject}", ${events}, HTML ${Math.round(issue.compiled.htmlBytes / 1024)} KB`;
}
