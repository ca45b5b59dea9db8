// Locales are data: every file has every key and writes every kind of date; French reads French
// (its spaces before : ; ? !); a locale file in --templates is enough; and the language of the content
// stays marked apart from the language of the interface, on the page and in the mail.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { type EventDate, formatEventDate, parseEventDate } from '../../src/events/dates.js';
import { LOCALES } from '../../src/events/schema.js';
import { BUILTIN_TEMPLATES, builtinLocaleCodes, type LocaleFile, loadLocale } from '../../src/render/locales.js';
import { ROOT, run, tempDir } from '../helpers.js';

const FOLDER = join(BUILTIN_TEMPLATES, 'locales');
const CODES = readdirSync(FOLDER)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();
const read = (code: string): LocaleFile => JSON.parse(readFileSync(join(FOLDER, `${code}.json`), 'utf8'));
const EN = read('en');

function date(text: string): EventDate {
  const parsed = parseEventDate(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.date;
}

/** One date of every precision and qualifier, and both kinds of range. */
const DATES = ['2025-01-20', '2025-01', '2025', '2025-Q1', '2025~', '2025-01?', '2025-01-20%', '2025-01-20/2025-01-27', '2023-07/..'];

const EXPECTED: Record<string, string[]> = {
  en: [
    '20 January 2025',
    'January 2025',
    '2025',
    'Q1 2025',
    'c. 2025',
    'January 2025?',
    'c. 20 January 2025?',
    '20 January 2025 – 27 January 2025',
    'July 2023 – present',
  ],
  fr: [
    '20 janvier 2025',
    'janvier 2025',
    '2025',
    'T1 2025',
    'vers 2025',
    'janvier 2025\u202f?',
    'vers 20 janvier 2025\u202f?',
    '20 janvier 2025 – 27 janvier 2025',
    "juillet 2023 – aujourd'hui",
  ],
  de: [
    '20. Januar 2025',
    'Januar 2025',
    '2025',
    '1. Quartal 2025',
    'ca. 2025',
    'Januar 2025?',
    'ca. 20. Januar 2025?',
    '20. Januar 2025 – 27. Januar 2025',
    'Juli 2023 – heute',
  ],
  es: [
    '20 de enero de 2025',
    'enero de 2025',
    '2025',
    'T1 2025',
    'hacia 2025',
    '¿enero de 2025?',
    '¿hacia 20 de enero de 2025?',
    '20 de enero de 2025 – 27 de enero de 2025',
    'julio de 2023 – actualidad',
  ],
};

describe('the locale files', () => {
  it('are en, de, es and fr, and the schema accepts exactly those', () => {
    expect(CODES).toEqual(['de', 'en', 'es', 'fr']);
    expect(builtinLocaleCodes()).toEqual(CODES);
    expect([...LOCALES]).toEqual(CODES);
    const schema = JSON.parse(readFileSync(join(ROOT, 'events.schema.json'), 'utf8'));
    expect(schema.properties.locale.enum).toEqual(CODES);
  });

  it.each(CODES)('%s has every key of en and no other', (code) => {
    const locale = read(code);
    expect(Object.keys(locale.labels).sort()).toEqual(Object.keys(EN.labels).sort());
    expect(Object.keys(locale.dates).sort()).toEqual(Object.keys(EN.dates).sort());
    for (const [key, text] of Object.entries(locale.labels)) {
      // The same placeholders as English: a translation that drops {name} would print nothing there.
      const placeholders = (t: string) => (t.match(/\{\w+\}/g) ?? []).sort();
      expect(placeholders(text), `${code}.labels.${key}`).toEqual(placeholders(EN.labels[key]!));
    }
  });

  it.each(CODES)('%s writes a date of every precision', async (code) => {
    const locale = await loadLocale(code);
    expect(locale.code).toBe(code);
    const written = DATES.map((text) => formatEventDate(date(text), locale.dates));
    expect(written).toEqual(EXPECTED[code]);
  });

  it('French puts a no-break space before : and a narrow one before ; ? ! and inside « »', () => {
    const fr = read('fr');
    const strings = [...Object.values(fr.labels), ...Object.values(fr.dates)];
    for (const text of strings) {
      expect(text, text).not.toMatch(/[^\u00a0]:/u);
      expect(text, text).not.toMatch(/[^\u202f][;?!»]/u);
      expect(text, text).not.toMatch(/«[^\u202f]/u);
    }
    expect(fr.labels.feed_json).toBe('Flux JSON');
    expect(fr.labels.colon).toBe('\u00a0:');
  });

  it('a locale file in --templates is enough: its dayjs locale is loaded by name', async () => {
    const dir = tempDir({ 'events.yaml': readFileSync(join(ROOT, 'events.yaml'), 'utf8') });
    mkdirSync(join(dir, 'mine', 'locales'), { recursive: true });
    const italian = { ...EN, name: 'Italiano', dates: { ...EN.dates, dayjs: 'it' }, labels: { ...EN.labels, coming_up: 'Prossimamente' } };
    writeFileSync(join(dir, 'mine', 'locales', 'it.json'), JSON.stringify(italian));
    const result = await run(['build', '--locale', 'it', '--templates', 'mine', '--no-newsletter'], dir);
    expect(result.stderr).toBe('');
    const html = readFileSync(join(dir, 'out', 'index.html'), 'utf8');
    expect(html).toContain('<html lang="it">');
    expect(html).toContain('>Prossimamente<');
    expect(html).toContain('<time datetime="2025-01-20">20 gennaio 2025</time>');
  });

  it('an unknown locale is a usage error that lists the known ones', async () => {
    const dir = tempDir({ 'events.yaml': readFileSync(join(ROOT, 'events.yaml'), 'utf8') });
    const result = await run(['build', '--locale', 'xx'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('there is no locale "xx"');
    expect(result.stderr).toContain('de, en, es, fr');
  });
});

describe('content language and interface language', () => {
  async function frenchBuildOfTheSeed() {
    const dir = tempDir({ 'events.yaml': readFileSync(join(ROOT, 'events.yaml'), 'utf8') });
    const result = await run(['build', '--locale', 'fr', '--base-url', 'https://example.org/timeline/'], dir);
    expect(result.code).toBe(0);
    const out = (name: string) => readFileSync(join(dir, 'out', name), 'utf8');
    const eml = await simpleParser(readFileSync(join(dir, 'out', 'newsletter', '2025-01.eml')));
    return { page: out('index.html'), web: out('newsletter/2025-01.html'), mail: String(eml.html), text: out('newsletter/2025-01.txt') };
  }

  it('a French build of English content keeps lang="en" on the content and marks the interface lang="fr"', async () => {
    const { page, web, mail } = await frenchBuildOfTheSeed();
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('<h1 lang="en">DeepSeek R1 and the race for reasoning models</h1>');
    expect(page).toMatch(/<article id="event-deepseek-r1-release" lang="en"/);
    expect(page).toContain('<time class="date" lang="fr" datetime="2025-01-20">20 janvier 2025</time>');
    expect(page).toContain('<span class="badge claimed" lang="fr">');
    expect(page).toMatch(/<a class="permalink" lang="fr"/);
    expect(mail).toMatch(/<html[^>]* lang="fr"/);
    expect(mail).toMatch(/<h3 lang="en"[^>]*>.*DeepSeek releases R1/);
    expect(web).toMatch(/<html lang="fr"/);
    expect(web).toMatch(/<h3 lang="en"[^>]*>.*DeepSeek releases R1/);
  });

  it('an English build of English content has no lang attribute but the page one', async () => {
    const dir = tempDir({ 'events.yaml': readFileSync(join(ROOT, 'events.yaml'), 'utf8') });
    await run(['build', '--no-newsletter'], dir);
    const page = readFileSync(join(dir, 'out', 'index.html'), 'utf8');
    expect(page.match(/ lang="/g)).toHaveLength(1);
  });

  it('French typography in what templates add, and "to be announced" said once', async () => {
    const { page, web, mail, text } = await frenchBuildOfTheSeed();
    expect(page).toContain('Suivre\u00a0: <a href="feed.xml">');
    expect(page).toContain('>Flux JSON<');
    expect(text).toContain('Voir ce numéro dans le navigateur\u00a0:\n');
    expect(text).toContain('Sur la frise\u00a0: https://example.org/timeline/');
    for (const output of [page, web, mail, text]) {
      expect(output).toContain('Date à venir');
      expect(output).not.toMatch(/Date à venir[^\n]{0,80}À venir/);
    }
  });
});
