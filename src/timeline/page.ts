// The timeline page: the view model through templates/timeline, with our CSS and script inlined so
// the page makes no request of any kind. It comes out in parts (the page around the years, then
// each year), so a page of 100,000 events is written without ever being one string in memory.
// Each event's article is a fragment: with a fragment store, an unchanged event is not rendered again.
import { type FragmentStore, hashKey, renderCodeFingerprint } from '../pipeline/fragments.js';
import type { TemplateSet } from '../render/templates.js';
import type { PageView } from './view.js';

// NUL cannot occur in an events file (the YAML reader rejects it), so it cannot collide with data.
const YEARS = '\u0000years\u0000';

export interface PageOptions {
  /** Where rendered events are kept between builds (see src/pipeline/fragments.ts). */
  fragments?: FragmentStore;
}

/** The page's parts, made one at a time as they are read (so only one year is in memory at once). */
export async function renderTimelinePage(view: PageView, templates: TemplateSet, options: PageOptions = {}): Promise<Iterable<string>> {
  const [page, year, css, script, partials] = await Promise.all([
    templates.template('timeline/page.hbs'),
    templates.inline('timeline', '{{> year}}'),
    templates.asset('timeline/style.css'),
    templates.asset('timeline/filter.js'),
    eventPartial(view, templates, options.fragments),
  ]);
  // Our own assets, inlined: a `</style>` or `</script>` inside them would end the element early.
  const frame = page(
    {
      ...view,
      yearsPlaceholder: YEARS,
      css: css.replace(/<\/style/gi, '<\\/style'),
      script: script.replace(/<\/script/gi, '<\\/script'),
    },
    partials,
  );
  const at = frame.indexOf(YEARS);
  if (at === -1) return [frame]; // a user template that lists no years
  return (function* parts() {
    yield frame.slice(0, at);
    for (const summary of view.years) {
      yield year({ ...summary, events: summary.events.map(view.toEventView), labels: view.labels }, partials);
    }
    yield frame.slice(at + YEARS.length);
  })();
}

/** The `event` partial through the fragment store: the key is everything the article is made of
 * (its view, the labels, the partials' sources, the rendering code). Partials that read Handlebars
 * data variables (`@index`...) depend on their place, so they are never cached. */
async function eventPartial(
  view: PageView,
  templates: TemplateSet,
  fragments: FragmentStore | undefined,
): Promise<{ partials: Record<string, (context: Record<string, unknown>) => string> } | undefined> {
  if (!fragments) return undefined;
  const sources = await templates.partials('timeline');
  if ([...sources.values()].some((source) => /\{\{[^}]*@/.test(source))) return undefined;
  const render = await templates.inline('timeline', '{{> event}}');
  const base = hashKey(renderCodeFingerprint(), JSON.stringify([...sources]), JSON.stringify(view.labels));
  const event = (context: Record<string, unknown>): string => {
    const { labels, ...rest } = context;
    const key = labels === view.labels ? hashKey(base, JSON.stringify(rest)) : hashKey(base, JSON.stringify(context));
    return fragments.through(key, () => render(context));
  };
  return { partials: { event } };
}
