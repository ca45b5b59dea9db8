// The timeline page: the view model through templates/timeline, with our CSS and script inlined so
// the page makes no request of any kind. It comes out in parts (the page around the years, then
// each year), so a page of 100,000 events is written without ever being one string in memory.
// Each event's article is a fragment: with a fragment store, an unchanged event is neither viewed
// nor rendered again.
import type { TimelineEvent } from '../events/model.js';
import { StoredEvent } from '../events/stored-event.js';
import { type FragmentStore, hashKey, renderCodeFingerprint } from '../pipeline/fragments.js';
import type { Summaries } from '../render/summaries.js';
import type { Template, TemplateSet } from '../render/templates.js';
import { listDigest } from './list-digest.js';
import type { EventView, PageView } from './view.js';
import { listsOf } from './year-size.js';

// NUL cannot occur in an events file (the YAML reader rejects it), so it cannot collide with data.
const YEARS = '\u0000years\u0000';
/** The templates the page renders with besides page.hbs (precompiled with it, see precompile.ts). */
const YEAR_TEMPLATE = '{{> year}}';
const EVENT_TEMPLATE = '{{> event}}';
export const INLINE_TEMPLATES = [YEAR_TEMPLATE, EVENT_TEMPLATE];
/** The property under which a year's event carries its fragment key (see lazyEvent). */
const HANDLE = '\u0000event';

export interface PageOptions {
  /** Where rendered events are kept between builds (see src/pipeline/fragments.ts). */
  fragments?: FragmentStore;
  /** A key for everything an event's view is made of (its data and what it refers to). */
  eventKey?: (event: TimelineEvent) => string;
  /** Summaries as HTML and text, shared with the feeds (src/render/summaries.ts). */
  summaries?: Summaries;
}

type Partials = Parameters<Template>[1];

/** The page's parts, made one at a time as they are read (so only one year is in memory at once);
 * nothing is rendered until the first is read (serve renders a year's page when it is asked for). */
export async function renderTimelinePage(
  pageView: PageView | (() => PageView),
  templates: TemplateSet,
  options: PageOptions = {},
): Promise<Iterable<string | Buffer>> {
  // The view too is made when the first part is read.
  const viewOf = typeof pageView === 'function' ? pageView : () => pageView;
  const [page, year, css, script, partials] = await Promise.all([
    templates.template('timeline/page.hbs'),
    templates.inline('timeline', YEAR_TEMPLATE),
    templates.asset('timeline/style.css'),
    templates.asset('timeline/filter.js'),
    eventPartial(viewOf, templates, options),
  ]);
  const { eventKey, fragments } = options;
  return (function* parts() {
    const view = viewOf();
    const placed = eventKey && ((event: TimelineEvent) => `${eventKey(event)} ${view.eventPlace(event)}`);
    const toView = partials && placed ? (event: TimelineEvent) => lazyEvent(event, placed(event), view.toEventView) : view.toEventView;
    // A whole year is a fragment too, keyed by everything the year template sees: its sources and
    // the partials' (in `partials.base`, with the labels and the code), whether the page is large,
    // the year's summary, and each event's key and place in order. A rebuild after one add renders
    // one year again and copies the others.
    const yearBase =
      partials && placed && fragments ? hashKey(partials.base, 'year', YEAR_TEMPLATE, JSON.stringify(view.labels)) : undefined;
    // Our own assets, inlined: a `</style>` or `</script>` inside them would end the element early.
    const frame = page(
      {
        ...view,
        years: view.years.map(templateYear),
        yearsPlaceholder: YEARS,
        css: inlined(css, 'style'),
        script: inlined(script, 'script'),
      },
      partials?.options,
    );
    const at = frame.indexOf(YEARS);
    if (at === -1) {
      yield frame; // a user template that lists no years
      return;
    }
    yield frame.slice(0, at);
    for (const summary of view.years) {
      const render = () => {
        const events = summary.events.map(toView);
        // A big page splits each year into short lists, each rendered only near the viewport (year-size.ts).
        return year({ ...summary, events, lists: view.large ? listsOf(events) : [events], labels: view.labels }, partials?.options);
      };
      if (yearBase === undefined || !placed || !fragments) {
        yield render();
        continue;
      }
      const { events, ...rest } = summary;
      // As bytes when read from the cache file: a year that did not change is written out as it was read.
      yield fragments.bytes(
        hashKey(yearBase, JSON.stringify(rest), String(view.large), listDigest(events, eventKey), yearPlaces(events, view)),
        render,
      );
    }
    yield frame.slice(at + YEARS.length);
  })();
}

/** A year as page.hbs sees it: its events, should a template read them, as the plain events a load
 * without the item cache builds (an event read from the item file decodes its sources and summary
 * only when read, through getters a template would not see: stored-event.ts). */
function templateYear(summary: PageView['years'][number]): PageView['years'][number] {
  const { events, ...rest } = summary;
  let plain: TimelineEvent[] | undefined;
  return Object.defineProperty({ ...rest }, 'events', {
    enumerable: true,
    get: () => {
      plain ??= events.map((event) => (event instanceof StoredEvent ? event.toJSON() : event));
      return plain;
    },
  }) as PageView['years'][number];
}

/** An asset made safe to inline in its element, once per build rather than once per page (the
 * same text for each of a large timeline's 30 pages). */
const safeAssets = { style: new Map<string, string>(), script: new Map<string, string>() };

function inlined(text: string, element: 'style' | 'script'): string {
  const made = safeAssets[element];
  let safe = made.get(text);
  if (safe === undefined) {
    safe = text.replace(element === 'style' ? /<\/style/gi : /<\/script/gi, `<\\/${element}`);
    // One asset of each a template set: a new set (serve after a template edit) replaces the old.
    made.clear();
    made.set(text, safe);
  }
  return safe;
}

/** What a year's links depend on besides its events' data (whose keys hold the related ids): the
 * page it is on, and the pages of the events that the few with related events link to (with
 * their index). File names hold no NUL. */
function yearPlaces(events: TimelineEvent[], view: PageView): string {
  let places = view.place;
  // Which events relate to others, from the walk that made the year's list (no walk over every
  // event of every year a build), or found here.
  const known = view.withRelated?.(events);
  if (known) for (const i of known) places += `\u0000${i}${view.relatedFiles(events[i]!)}`;
  else for (let i = 0; i < events.length; i++) if (events[i]!.related.length > 0) places += `\u0000${i}${view.relatedFiles(events[i]!)}`;
  return places;
}

interface Handle {
  key: string;
  view: () => EventView;
  /** The lazy view itself: a partial called with it (`{{> event}}`, no hash) was given nothing else. */
  proxy?: EventView;
}

/** An event of a year that becomes its view only if a template reads it: the cached `event`
 * partial needs nothing but its key. */
function lazyEvent(event: TimelineEvent, key: string, toView: (event: TimelineEvent) => EventView): EventView {
  let made: EventView | undefined;
  const view = () => {
    made ??= toView(event);
    return made;
  };
  const handle: Handle = { key, view };
  handle.proxy = new Proxy({} as EventView, {
    get: (_target, prop) => (prop === HANDLE ? handle : Reflect.get(view(), prop)),
    has: (_target, prop) => prop === HANDLE || Reflect.has(view(), prop),
    ownKeys: () => (made ? [HANDLE, ...Reflect.ownKeys(made)] : [HANDLE]),
    getOwnPropertyDescriptor: (_target, prop) => {
      if (prop === HANDLE) return { value: handle, enumerable: true, configurable: true, writable: false };
      const descriptor = Reflect.getOwnPropertyDescriptor(view(), prop);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
  return handle.proxy;
}

/** The `event` partial through the fragment store: the key is everything the article is made of
 * (the event's key or its view, the labels and other arguments, the partials' sources, the rendering
 * code). Partials that read Handlebars data variables (`@index`...) depend on their place, so they
 * are never cached. */
async function eventPartial(
  viewOf: () => PageView,
  templates: TemplateSet,
  options: PageOptions,
): Promise<{ options: Partials; base: string } | undefined> {
  const { fragments } = options;
  if (!fragments) return undefined;
  const sources = await templates.partials('timeline');
  if ([...sources.values()].some(readsPlace)) return undefined;
  const render = await templates.inline('timeline', EVENT_TEMPLATE);
  let base: string | undefined;
  const event = (context: Record<string, unknown>): string => {
    const view = viewOf();
    base ??= hashKey(renderCodeFingerprint(), JSON.stringify([...sources]), JSON.stringify(view.labels));
    const handle = context[HANDLE] as Handle | undefined;
    // The lazy event as it is: its key says everything (reading its labels would make the view).
    if (handle && handle.proxy === (context as unknown))
      return fragments.through(hashKey(base, handle.key, ''), () => render(handle.view()));
    const { [HANDLE]: _handle, labels, ...rest } = context;
    const extra = labels === view.labels ? rest : { ...rest, labels };
    if (!handle) return fragments.through(hashKey(base, JSON.stringify(extra)), () => render(context));
    // A lazy event: `rest` holds only what the calling template added (or the view, if it read it).
    const own = Object.keys(rest).length === 0 ? '' : JSON.stringify(extra);
    return fragments.through(hashKey(base, handle.key, own), () => render({ ...handle.view(), ...rest, labels }));
  };
  // What any fragment rendered with these partials depends on besides its own data.
  return { options: { partials: { event } }, base: hashKey(renderCodeFingerprint(), JSON.stringify([...sources])) };
}

/** Whether a partial reads a data variable (`@index`, `@first`, `@root`...) outside its own
 * `{{#each}}` blocks, i.e. depends on where the event is rather than on what it is. */
function readsPlace(source: string): boolean {
  let outside = source;
  for (let before = ''; before !== outside; ) {
    before = outside;
    outside = outside.replace(/\{\{#each[^}]*\}\}(?:(?!\{\{#each)[\s\S])*?\{\{\/each\}\}/g, '');
  }
  return /\{\{[^}]*@/.test(outside);
}
