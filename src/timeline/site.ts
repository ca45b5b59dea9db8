// Everything `chronicle build` writes for the timeline, rendered in memory (file name -> content).

import { chronicleError } from '../errors.js';
import type { Timeline } from '../events/model.js';
import { LOCALES } from '../events/schema.js';
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
  if (!(LOCALES as readonly string[]).includes(options.locale)) {
    throw chronicleError('unknown-locale', { locale: options.locale, locales: LOCALES });
  }
  const localized: Timeline = { ...timeline, locale: options.locale as Timeline['locale'] };
  const locale = await loadLocale(options.locale, options.templatesDir);
  const templates = options.templates ?? createTemplateSet(options.templatesDir);
  const view = buildPageView(localized, locale, options.baseUrl ? { baseUrl: options.baseUrl } : {});
  const files = new Map<string, string | Iterable<string>>([['index.html', await renderTimelinePage(view, templates)]]);
  for (const [name, content] of Object.entries(renderFeeds(localized, options.baseUrl))) files.set(name, content);
  return files;
}
