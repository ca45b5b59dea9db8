// Locale files (templates/locales/<code>.json): how dates are written and the labels of the outputs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import type { DateFormats } from '../events/dates.js';

export interface LocaleFile {
  name: string;
  dates: DateFormats;
  labels: Record<string, string>;
}

/** The templates folder shipped with chronicle. */
export const BUILTIN_TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

/** The locale file from the user's templates folder if it has one, else the built-in one. */
export async function loadLocale(code: string, templatesDir?: string): Promise<LocaleFile> {
  const folders = templatesDir && templatesDir !== BUILTIN_TEMPLATES ? [templatesDir, BUILTIN_TEMPLATES] : [BUILTIN_TEMPLATES];
  for (const folder of folders) {
    const path = join(folder, 'locales', `${code}.json`);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue;
    }
    try {
      return JSON.parse(text) as LocaleFile;
    } catch (error) {
      throw new UserError(`the locale file ${path} is not valid JSON`, { cause: error });
    }
  }
  throw new UserError(`there is no locale "${code}"`, { hint: 'use en or fr, or add templates/locales/<code>.json' });
}
