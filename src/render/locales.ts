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

export async function loadLocale(code: string, templatesDir: string = BUILTIN_TEMPLATES): Promise<LocaleFile> {
  const path = join(templatesDir, 'locales', `${code}.json`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`there is no locale "${code}" (${path} cannot be read)`, {
      hint: 'use en or fr, or add templates/locales/<code>.json',
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as LocaleFile;
  } catch (error) {
    throw new UserError(`the locale file ${path} is not valid JSON`, { cause: error });
  }
}
