// The timeline page: the view model through templates/timeline, with our CSS and script inlined so
// the page makes no request of any kind.
import type { TemplateSet } from '../render/templates.js';
import type { PageView } from './view.js';

export async function renderTimelinePage(view: PageView, templates: TemplateSet): Promise<string> {
  const [page, css, script] = await Promise.all([
    templates.template('timeline/page.hbs'),
    templates.asset('timeline/style.css'),
    templates.asset('timeline/filter.js'),
  ]);
  // Our own assets, inlined: a `</style>` or `</script>` inside them would end the element early.
  const html = page({ ...view, css: css.replace(/<\/style/gi, '<\\/style'), script: script.replace(/<\/script/gi, '<\\/script') });
  // Template indentation leaves blank lines and trailing spaces; the page has no <pre>, so drop them.
  return html.replace(/[ \t]+$/gm, '').replace(/\n{2,}/g, '\n');
}
