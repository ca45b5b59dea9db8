// One renderer per build: the locale file and the compiled templates, loaded once and handed to
// every output (page, feeds, issue, archive).
import type { Locale } from '../events/schema.js';
import { type LocaleFile, loadLocale } from '../render/locales.js';
import { createTemplateSet, type TemplateSet } from '../render/templates.js';

export interface Renderer {
  code: Locale;
  locale: LocaleFile;
  templates: TemplateSet;
  templatesDir?: string;
}

/** `templates` lets the preview server keep its compiled templates from one rebuild to the next. */
export async function createRenderer(
  settings: { locale: Locale; templatesDir?: string },
  templates: TemplateSet = createTemplateSet(settings.templatesDir),
): Promise<Renderer> {
  return {
    code: settings.locale,
    locale: await loadLocale(settings.locale, settings.templatesDir),
    templates,
    ...(settings.templatesDir ? { templatesDir: settings.templatesDir } : {}),
  };
}
