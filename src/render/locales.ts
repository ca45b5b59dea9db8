// Locale files (templates/locales/<code>.json): how dates are written and the labels of the outputs.
// A locale is data: a file here (or in the user's --templates folder) is all it takes; its dayjs
// locale (month names) is loaded by name when the file is.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type ChronicleError, chronicleError } from '../errors.js';
import type { DateFormats } from '../events/dates.js';
import { PACKAGE_ROOT } from '../own-files.js';

export interface LocaleFile {
  /** The file's name without `.json`: the `lang` of what is written in it. */
  code?: string;
  name: string;
  dates: DateFormats;
  labels: Record<string, string>;
}

/** The templates folder shipped with chronicle. */
export const BUILTIN_TEMPLATES = join(PACKAGE_ROOT, 'templates/');

const CODE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/;

/** The locales chronicle ships, from the files of templates/locales (sorted). */
export function builtinLocaleCodes(): string[] {
  return readdirSync(join(BUILTIN_TEMPLATES, 'locales'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .filter((code) => CODE.test(code))
    .sort();
}

/** The locale file from the user's templates folder if it has one, else the built-in one. */
export async function loadLocale(code: string, templatesDir?: string): Promise<LocaleFile> {
  if (!CODE.test(code)) throw missing(code);
  const folders = templatesDir && templatesDir !== BUILTIN_TEMPLATES ? [templatesDir, BUILTIN_TEMPLATES] : [BUILTIN_TEMPLATES];
  for (const folder of folders) {
    const path = join(folder, 'locales', `${code}.json`);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue;
    }
    let locale: LocaleFile;
    try {
      locale = JSON.parse(text) as LocaleFile;
    } catch (error) {
      throw chronicleError('locale-file-invalid', { file: path, reason: 'is not valid JSON' }, { cause: error });
    }
    if (typeof locale?.dates?.dayjs !== 'string' || typeof locale.labels !== 'object') {
      throw chronicleError('locale-file-invalid', { file: path, reason: 'has no "dates.dayjs" or no "labels"' });
    }
    await loadDayjsLocale(locale.dates.dayjs, path);
    return { ...locale, code };
  }
  throw missing(code);
}

function missing(code: string): ChronicleError {
  return chronicleError('unknown-locale', { locale: code, locales: builtinLocaleCodes() });
}

const loadedDayjs = new Set(['en']);

/** Month and day names come from dayjs's own locale of that name (`dayjs/locale/<name>.js`). */
async function loadDayjsLocale(name: string, path: string): Promise<void> {
  if (loadedDayjs.has(name)) return;
  if (!CODE.test(name)) throw chronicleError('unknown-dayjs-locale', { file: path, name });
  try {
    // dayjs's locale files register themselves with dayjs when loaded. Required (they are CommonJS), not
    // imported: in the bundled CLI an import() would resolve from the working folder (src/code-cache.cts).
    createRequire(import.meta.url)(`dayjs/locale/${name}.js`);
  } catch (error) {
    throw chronicleError('unknown-dayjs-locale', { file: path, name }, { cause: error });
  }
  loadedDayjs.add(name);
}
