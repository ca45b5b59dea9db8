// The timeline's outputs (page and feeds) for library users; commands go through src/site/build-site.ts.
import type { Timeline } from '../events/model.js';
import type { TemplateSet } from '../render/templates.js';
import { buildSite, type Content } from '../site/build-site.js';
import { createRenderer } from '../site/renderer.js';
import { resolveSettings } from '../site/settings.js';

export interface SiteOptions {
  locale: string;
  baseUrl?: string;
  templatesDir?: string;
  /** Compiled templates to reuse. */
  templates?: TemplateSet;
}

export async function buildTimelineSite(timeline: Timeline, options: SiteOptions): Promise<Map<string, Content>> {
  const settings = resolveSettings(
    {
      locale: options.locale,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}),
      cache: false,
    },
    timeline,
    {},
  );
  const renderer = await createRenderer(settings, options.templates);
  return (await buildSite(timeline, { settings, renderer })).files;
}
