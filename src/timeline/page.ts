// The timeline page: the view model through templates/timeline, with our CSS and script inlined so
// the page makes no request of any kind. It comes out in parts (the page around the years, then
// each year), so a page of 100,000 events is written without ever being one string in memory.
import type { TemplateSet } from '../render/templates.js';
import type { PageView } from './view.js';

// NUL cannot occur in an events file (the YAML reader rejects it), so it cannot collide with data.
const YEARS = '\u0000years\u0000';

/** The page's parts, made one at a time as they are read (so only one year is in memory at once). */
export async function renderTimelinePage(view: PageView, templates: TemplateSet): Promise<Iterable<string>> {
  const [page, year, css, script] = await Promise.all([
    templates.template('timeline/page.hbs'),
    templates.inline('timeline', '{{> year}}'),
    templates.asset('timeline/style.css'),
    templates.asset('timeline/filter.js'),
  ]);
  // Our own assets, inlined: a `</style>` or `</script>` inside them would end the element early.
  const frame = page({
    ...view,
    yearsPlaceholder: YEARS,
    css: css.replace(/<\/style/gi, '<\\/style'),
    script: script.replace(/<\/script/gi, '<\\/script'),
  });
  const at = frame.indexOf(YEARS);
  if (at === -1) return [tidy(frame)]; // a user template that lists no years
  return (function* parts() {
    yield tidy(frame.slice(0, at));
    for (const summary of view.years) {
      yield tidy(year({ ...summary, events: summary.events.map(view.toEventView), labels: view.labels }));
    }
    yield tidy(frame.slice(at + YEARS.length));
  })();
}

/** Template indentation leaves blank lines and trailing spaces; the page has no <pre>, so drop them. */
function tidy(html: string): string {
  return html.replace(/[ \t]+$/gm, '').replace(/\n{2,}/g, '\n');
}
