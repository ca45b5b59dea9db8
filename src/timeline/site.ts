// Everything `chronicle build` writes for the timeline, rendered in memory (file name -> content).

import type { Timeline } from '../events/model.js';
import { loadLocale } from '../render/locales.js';
import { createTemplateSet, type TemplateSet } from '../render/templates.js';
import { renderFeeds } from './feeds.js';
import { renderTimelinePage } from './page.js';
import { buildPageView } from './view.js';

export interface SiteOptions {
  locale: string;
  baseUrl?: string;
  templatesDir?: string;
  /** Compiled templates to reuse (the preview server keeps them between rebuilds). */
  templates?: TemplateSet;
}

export async function buildTimelineSite(timeline: Timeline, options: SiteOptions): Promise<Map<string, string | Iterable<string>>> {
  // The interface's locale (labels, dates); the timeline keeps its own: the language of its content.
  const locale = await loadLocale(options.locale, options.templatesDir);
  const templates = options.templates ?? createTemplateSet(options.templatesDir);
  const view = buildPageView(timeline, locale, options.baseUrl ? { baseUrl: options.baseUrl } : {});
  const files = new Map<string, string | Iterable<string>>([['index.html', await renderTimelinePage(view, templates)]]);
  for (const [name, content] of Object.entries(renderFeeds(timeline, options.baseUrl, locale))) files.set(name, content);
  return files;
}
