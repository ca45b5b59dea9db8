// The settings of a build, resolved once: flag ▸ events file ▸ environment ▸ default. Every command
// that builds (build, newsletter, serve) asks here instead of writing `a ?? b` of its own.
import { chronicleError } from '../errors.js';
import type { Timeline } from '../events/model.js';
import { LOCALES, type Locale } from '../events/schema.js';
import { checkCacheDir } from '../io/check-cache.js';

/** What the command line may say (already parsed: `now` is a day, `baseUrl` an absolute link). */
export interface SettingFlags {
  locale?: string;
  baseUrl?: string;
  templatesDir?: string;
  /** `--no-cache`. */
  cache?: boolean;
}

export interface Settings {
  locale: Locale;
  baseUrl?: string;
  templatesDir?: string;
  /** Signs unsubscribe tokens (CHRONICLE_SECRET); read here and nowhere else. */
  secret?: string;
  /** The folder of the content caches, or undefined when caching is off. */
  cacheDir?: string;
}

const DEFAULTS: Partial<Settings> = { locale: 'en' };

/** The one place where the precedence is decided. */
export function resolveSettings(
  flags: SettingFlags,
  file: Pick<Timeline, 'locale' | 'baseUrl'>,
  env: Record<string, string | undefined>,
): Settings {
  const fromFlags: Partial<Settings> = {
    locale: flags.locale as Locale | undefined,
    baseUrl: flags.baseUrl,
    templatesDir: flags.templatesDir,
    ...(flags.cache === false ? { cacheDir: '' } : {}),
  };
  const fromFile: Partial<Settings> = { locale: file.locale, baseUrl: file.baseUrl };
  const fromEnv: Partial<Settings> = { secret: env.CHRONICLE_SECRET || undefined, cacheDir: checkCacheDir(env) ?? '' };
  const settings = firstDefined<Settings>(fromFlags, fromFile, fromEnv, DEFAULTS);
  // A --templates folder may bring its own locale file (loadLocale checks it is there).
  if (!settings.templatesDir && !(LOCALES as readonly string[]).includes(settings.locale)) {
    throw chronicleError('unknown-locale', { locale: settings.locale, locales: LOCALES });
  }
  if (settings.cacheDir === '') delete settings.cacheDir;
  return settings;
}

/** The cache folder before the file is loaded (loading has a cache of its own): the same precedence. */
export function resolveCacheDir(flags: Pick<SettingFlags, 'cache'>, env: Record<string, string | undefined>): string | undefined {
  return flags.cache === false ? undefined : checkCacheDir(env);
}

/** c12-style merge: each key from the first layer that defines it. */
function firstDefined<T>(...layers: Partial<T>[]): T {
  const merged: Partial<T> = {};
  for (const layer of [...layers].reverse()) {
    for (const [key, value] of Object.entries(layer) as [keyof T, T[keyof T] | undefined][]) {
      if (value !== undefined) merged[key] = value;
    }
  }
  return merged as T;
}

/** `--base-url`: an absolute http(s) link, ending in `/` so relative names resolve inside it. */
export function parseBaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw chronicleError('invalid-base-url', { value, reason: 'not-absolute' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw chronicleError('invalid-base-url', { value, reason: 'not-http' });
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}
