// `chronicle build`: valid HTML, feeds that real parsers read back, French, byte-identical rebuilds,
// and an output folder that never loses a file it did not make.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { parseFeed } from '@rowanmanning/feed-parser';
import { parseJsonFeed } from 'feedsmith';
import { HtmlValidate } from 'html-validate';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { generateEventsFile } from '../../bench/generate-events.js';
import { BIN, eventsFile, ROOT, run, runBinary, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
/** Two events, one with a summary and a dated source. */
const SOURCED = `title: T
events:
  - id: one
    date: 2025-01-20
    title: One
    summary: The first summary, long enough
    sources:
      - { url: "https://example.org/a", date: 2025-01 }
  - id: two
    date: 2025-01-21
    title: Two
`;

/** An item file of one batch with that batch's length and sum made again (the sum begins with the
 * loading code's, as item-cache-file.ts makes it). */
function resummedItemFile(file: string): string {
  const header = file.slice(0, file.indexOf('\n') + 1);
  const code = header.trim().split(' ').at(-1)!;
  const body = Buffer.from(file.slice(file.indexOf('\n', header.length) + 1), 'latin1');
  return `${header}${body.length} ${crc32(body, crc32(code)).toString(16).padStart(8, '0')}\n${body.toString('latin1')}`;
}

async function buildSeed(extra: string[] = [], text = SEED) {
  const dir = tempDir({ 'events.yaml': text });
  const result = await run(['build', ...extra], dir);
  const out = join(dir, 'out');
  const read = (name: string) => readFileSync(join(out, name), 'utf8');
  return { dir, out, result, read };
}

describe('chronicle build', () => {
  it('writes the page, the feeds and the current newsletter issue, and says where the page is', async () => {
    const { result, out } = await buildSeed();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^wrote out\/index\.html \(12 events\) and feed\.xml, feed\.json, timeline\.json\nwrote out\/newsletter\/2025-01\.html, \.txt and \.eml: "AI Timeline: January 2025", 3 events, HTML \d+ KB\nopen out\/index\.html in a browser to see the timeline\n$/,
    );
    expect(readdirSync(out).sort()).toEqual([
      '.chronicle-build.json',
      'feed.json',
      'feed.xml',
      'index.html',
      'newsletter',
      'timeline.json',
    ]);
    expect(readdirSync(join(out, 'newsletter')).sort()).toEqual([
      '2025-01.eml',
      '2025-01.html',
      '2025-01.txt',
      'feed.xml',
      'index.html',
      'issues.json',
    ]);
  });

  it('skips the newsletter issue with --no-newsletter', async () => {
    const { result, out } = await buildSeed(['--no-newsletter']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('newsletter');
    expect(readdirSync(out)).not.toContain('newsletter');
  });

  it('still writes the page when the month has no event, and says no issue was written', async () => {
    const { result, out } = await buildSeed(['--now', '2025-03-15']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no events between 2025-03-01 and 2025-03-31: no newsletter issue was written');
    expect(readdirSync(out)).toContain('index.html');
  });

  it('writes a page that html-validate (recommended rules) finds no error in', async () => {
    const { read } = await buildSeed();
    const report = await new HtmlValidate({ extends: ['html-validate:recommended'] }).validateString(read('index.html'));
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([]);
  });

  it('marks claims, headlines and what is coming up, with semantic markup', async () => {
    const { read } = await buildSeed();
    const html = read('index.html');
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<header class="site">[\s\S]*<nav aria-label="Jump to">[\s\S]*<main id="events">[\s\S]*<footer class="site">/);
    expect(html).toContain('<span class="badge claimed">Claim by DeepSeek, not independently verified</span>');
    expect(html).toMatch(/<li class="event headline"[^>]*>\s*<article id="event-deepseek-r1-release"/);
    expect(html).toMatch(/<section class="year coming-up" id="coming-up"[\s\S]*id="event-openai-o3-launch"/);
    expect(html).toMatch(/<time( class="date")? datetime="2025-01-20">20 January 2025<\/time>/);
    expect(html).toMatch(/<time( class="date")? datetime="2019">2019 – 2021<\/time>/);
    expect(html).toContain('<link rel="alternate" type="application/atom+xml"');
    expect(html).toContain('<link rel="alternate" type="application/feed+json"');
    expect(html).toContain('<meta property="og:title" content="DeepSeek R1 and the race for reasoning models">');
    const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(jsonLd['@type']).toBe('ItemList');
    const r1 = jsonLd.itemListElement.find((e: { item: { name: string } }) => e.item.name.startsWith('DeepSeek releases R1'));
    expect(r1.item).toMatchObject({ '@type': 'Event', startDate: '2025-01-20', eventStatus: 'https://schema.org/EventScheduled' });
    const founded = jsonLd.itemListElement.find((e: { item: { name: string } }) => e.item.name.startsWith('DeepSeek is founded'));
    expect(founded.item.startDate).toBe('2023-07');
  });

  it('writes a fully French page with --locale fr', async () => {
    const { read } = await buildSeed(['--locale', 'fr']);
    const html = read('index.html');
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('>Prochainement<');
    expect(html).toMatch(/<time( class="date")?( lang="fr")? datetime="2025-01-20">20 janvier 2025<\/time>/);
    expect(html).toContain('Affirmation de DeepSeek, non vérifiée de manière indépendante');
    expect(html).toMatch(/<time( class="date")?( lang="fr")? datetime="2023-07">juillet 2023<\/time>/);
    for (const english of ['Coming up', 'Claim by', 'Related<', 'Permalink<', 'Showing']) expect(html).not.toContain(english);
    expect(html).not.toMatch(/<time[^>]*>[^<]*January/);
  });

  it('writes quarters the French way', async () => {
    const text = eventsFile('  - id: q\n    date: 2025-Q1\n    title: A quarter\n    sources: [{ publisher: P }]\n').replace(
      'locale: en',
      'locale: fr',
    );
    const { read } = await buildSeed([], text);
    expect(read('index.html')).toMatch(/<time( class="date")? datetime="2025">T1 2025<\/time>/);
  });

  it("gives the same page whatever the machine's locale (actors with equal counts are sorted by the file's language)", () => {
    // Danish collation sorts "Aa" after "Z", Lithuanian "y" before "j": names must not follow LANG.
    const actors =
      '  aa: { name: Aalborg Labs, kind: organization }\n  zeta: { name: Zeta, kind: organization }\n  juno: { name: Juno, kind: organization }\n  ypsilon: { name: Ypsilon, kind: organization }\n';
    const text = eventsFile(
      '  - id: e1\n    date: 2025-01-20\n    title: One\n    actors: [aa, zeta, juno, ypsilon]\n    sources: [{ publisher: P }]\n',
    ).replace('entities:\n', `entities:\n${actors}`);
    const dir = tempDir({ 'events.yaml': text });
    const pages = ['C', 'da_DK.UTF-8', 'lt_LT.UTF-8'].map((locale) => {
      const result = runBinary(['build', '-o', locale, '--no-newsletter', '--quiet'], { cwd: dir, env: { LC_ALL: locale, LANG: locale } });
      expect(result.code).toBe(0);
      return readFileSync(join(dir, locale, 'index.html'), 'utf8');
    });
    expect(pages[0]).toMatch(/Aalborg Labs[\s\S]*Juno[\s\S]*Ypsilon[\s\S]*Zeta/);
    expect(pages[1]).toBe(pages[0]);
    expect(pages[2]).toBe(pages[0]);
  });

  it('gives byte-identical files for the same inputs and --now', async () => {
    const a = await buildSeed(['--now', '2025-01-31']);
    const b = await buildSeed(['--now', '2025-01-31']);
    for (const name of ['index.html', 'feed.xml', 'feed.json', 'timeline.json']) expect(a.read(name)).toBe(b.read(name));
  });
});

describe('the feeds', () => {
  it('Atom and JSON Feed are read back by a feed parser, newest first, with stable ids and absolute links', async () => {
    const { read } = await buildSeed();
    const atom = parseFeed(read('feed.xml'));
    expect(atom.title).toBe('DeepSeek R1 and the race for reasoning models');
    expect(atom.items.map((i) => i.id)).toContain('urn:chronicle:event:deepseek-r1-release');
    expect(atom.items[0]?.id).toBe('urn:chronicle:event:openai-o3-mini-release');
    expect(atom.items.find((i) => i.id === 'urn:chronicle:event:deepseek-r1-release')?.url).toBe(
      'https://example.org/timeline/#event-deepseek-r1-release',
    );
    expect(atom.items).toHaveLength(11); // every dated event; the undated upcoming one has no date to sort by
    expect(JSON.parse(read('feed.json')).version).toBe('https://jsonfeed.org/version/1.1');
    const json = parseJsonFeed(read('feed.json'));
    expect(json.title).toBe('DeepSeek R1 and the race for reasoning models');
    expect(json.items?.map((i) => i.id).slice(0, 3)).toEqual([
      'openai-o3-mini-release',
      'deepseek-r1-beats-o1-claim',
      'deepseek-r1-release',
    ]);
    expect(json.items?.[2]).toMatchObject({
      url: 'https://example.org/timeline/#event-deepseek-r1-release',
      date_published: '2025-01-20T00:00:00.000Z',
    });
  });

  it('the calendar holds dated upcoming events, read back by an iCalendar library', async () => {
    const text = eventsFile(`  - id: launch
    date: 2025-03-10
    title: A launch
    status: upcoming
    sources: [{ publisher: P }]
  - id: rumour
    date: 2025-04-01
    title: A rumour
    status: rumored
    sources: [{ publisher: P }]
  - id: vague
    date: 2025-05
    title: Sometime in May
    status: upcoming
    sources: [{ publisher: P }]
  - id: past
    date: 2025-01-02
    title: Already happened
    sources: [{ publisher: P }]
`);
    const { read } = await buildSeed([], text);
    const calendar = new ICAL.Component(ICAL.parse(read('upcoming.ics')));
    const events = calendar.getAllSubcomponents('vevent').map((v) => ({
      uid: v.getFirstPropertyValue('uid'),
      start: String(v.getFirstPropertyValue('dtstart')),
      status: v.getFirstPropertyValue('status'),
      summary: v.getFirstPropertyValue('summary'),
    }));
    expect(events).toEqual([
      { uid: 'launch@test-timeline.chronicle.invalid', start: '2025-03-10', status: 'CONFIRMED', summary: 'A launch' },
      { uid: 'rumour@test-timeline.chronicle.invalid', start: '2025-04-01', status: 'TENTATIVE', summary: 'Rumored: A rumour' },
    ]);
  });

  it('timeline.json is in TimelineJS3 format', async () => {
    const { read } = await buildSeed();
    const data = JSON.parse(read('timeline.json'));
    expect(data.title.text.headline).toBe('DeepSeek R1 and the race for reasoning models');
    const founded = data.events.find((e: { unique_id: string }) => e.unique_id === 'deepseek-founded');
    expect(founded).toMatchObject({ start_date: { year: '2023', month: '7' }, group: 'Companies' });
    const clusters = data.events.find((e: { unique_id: string }) => e.unique_id === 'high-flyer-fire-flyer-clusters');
    expect(clusters).toMatchObject({ start_date: { year: '2019' }, end_date: { year: '2021' } });
  });
});

describe('the output folder', () => {
  it('refuses -o . and -o /', async () => {
    for (const out of ['.', '/']) {
      const { result } = await buildSeed(['-o', out]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`refusing to build into ${out}`);
    }
  });

  it('keeps a stray file, and removes only files an earlier build made and this one does not', async () => {
    const { dir, out } = await buildSeed();
    writeFileSync(join(out, 'notes.txt'), 'mine');
    writeFileSync(join(out, '.chronicle-build.json'), JSON.stringify({ files: ['index.html', 'old-page.html', '../events.yaml'] }));
    writeFileSync(join(out, 'old-page.html'), 'made by an older build');
    expect((await run(['build'], dir)).code).toBe(0);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(out, 'old-page.html'))).toBe(false);
    expect(existsSync(join(dir, 'events.yaml'))).toBe(true);
  });

  it('leaves the previous build intact when the data is bad, and reports it as check does', async () => {
    const { dir, out, read } = await buildSeed();
    const before = read('index.html');
    writeFileSync(join(dir, 'events.yaml'), SEED.replace('date: 2025-01-20', 'date: 2025-02-30'));
    const result = await run(['build'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/events\.yaml:\d+:11 {2}events\[8\]\.date {2}"2025-02-30" is not a date/);
    expect(result.stderr).toContain('nothing was built');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe(before);
  });

  it('uses a template of the user instead of the built-in one', async () => {
    const dir = tempDir({ 'events.yaml': SEED });
    mkdirSync(join(dir, 'mine', 'timeline'), { recursive: true });
    writeFileSync(join(dir, 'mine', 'timeline', 'page.hbs'), '<!DOCTYPE html><title>{{title}}</title><p>{{total}} events</p>');
    expect((await run(['build', '--templates', 'mine'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'index.html'), 'utf8')).toBe(
      '<!DOCTYPE html><title>DeepSeek R1 and the race for reasoning models</title><p>12 events</p>',
    );
  });

  it('counts warnings without locating them, and points to check', async () => {
    const { result } = await buildSeed(['--no-newsletter'], eventsFile().replace('    sources:\n      - { publisher: DeepSeek }\n', ''));
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('chronicle: 1 warning in events.yaml: run chronicle check events.yaml to see them\n');
  });

  it('reuses rendered events from its cache and writes the same bytes as without it', async () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const env = { CHRONICLE_CACHE_DIR: join(dir, 'cache') };
    const read = () => readFileSync(join(dir, 'out', 'index.html'), 'utf8');
    expect((await run(['build', '--no-newsletter'], dir, env)).code).toBe(0);
    // One cache file and its index (src/pipeline/fragment-index.ts).
    expect(readdirSync(join(dir, 'cache', 'fragments')).sort()).toEqual([
      expect.stringMatching(/\.cache$/),
      expect.stringMatching(/\.index$/),
    ]);
    const first = read();
    writeFileSync(join(dir, 'events.yaml'), SEED.replace('title: DeepSeek releases R1', 'title: DeepSeek releases R1 (edited)'));
    expect((await run(['build', '--no-newsletter'], dir, env)).code).toBe(0);
    const cached = read();
    expect(cached).not.toBe(first);
    expect((await run(['build', '--no-newsletter', '--no-cache'], dir, env)).code).toBe(0);
    expect(read()).toBe(cached);
  });

  it('gives a template that reads the events the same bytes when they come from the item file', async () => {
    const dir = tempDir({ 'events.yaml': SOURCED });
    const env = { CHRONICLE_CACHE_DIR: join(dir, 'cache') };
    mkdirSync(join(dir, 'mine', 'timeline'), { recursive: true });
    const page = '{{#each years}}{{#each events}}{{title}}/{{summary}}/{{#each sources}}{{url}} {{date.text}}{{/each}};{{/each}}{{/each}}';
    writeFileSync(join(dir, 'mine', 'timeline', 'page.hbs'), page);
    const build = async (out: string, ...extra: string[]) => {
      expect((await run(['build', '--no-newsletter', '--quiet', '--templates', 'mine', '-o', out, ...extra], dir, env)).code).toBe(0);
      return readFileSync(join(dir, out, 'index.html'), 'utf8');
    };
    const fresh = await build('fresh', '--no-cache');
    expect(fresh).toBe('One/The first summary, long enough/https://example.org/a 2025-01;Two//;');
    await build('first');
    // The same file again: every event is read back from the item file (sources and summary lazily).
    expect(await build('again')).toBe(fresh);
  });

  it('builds again without its item file when an event there does not decode, and writes that file anew', async () => {
    const dir = tempDir({ 'events.yaml': SOURCED });
    const env = { CHRONICLE_CACHE_DIR: join(dir, 'cache') };
    expect((await run(['build', '--no-newsletter', '--quiet'], dir, env)).code).toBe(0);
    const folder = join(dir, 'cache', 'items');
    const file = join(folder, readdirSync(folder).find((name) => name.endsWith('.cache'))!);
    const whole = readFileSync(file, 'latin1');
    expect(whole).toContain('"date":"2025-01"');
    // A source date that does not parse, the batch's sum made again: the file reads, the event does not decode.
    writeFileSync(file, resummedItemFile(whole.replace('"date":"2025-01"', '"date":"2025-13"')), 'latin1');
    // Another locale: every event is rendered again, so its sources are read.
    const cached = await run(['build', '--no-newsletter', '--quiet', '--locale', 'fr', '-o', 'cached'], dir, env);
    expect(cached.stderr).toBe('');
    expect(cached.code).toBe(0);
    expect((await run(['build', '--no-newsletter', '--quiet', '--locale', 'fr', '--no-cache', '-o', 'fresh'], dir, env)).code).toBe(0);
    for (const name of readdirSync(join(dir, 'fresh')))
      expect(readFileSync(join(dir, 'cached', name), 'utf8'), name).toBe(readFileSync(join(dir, 'fresh', name), 'utf8'));
    expect(readFileSync(file, 'latin1')).not.toContain('2025-13');
  });

  it('never writes a fragment whose bytes changed in its cache file', async () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const env = { CHRONICLE_CACHE_DIR: join(dir, 'cache') };
    expect((await run(['build', '--no-newsletter'], dir, env)).code).toBe(0);
    const folder = join(dir, 'cache', 'fragments');
    const file = join(folder, readdirSync(folder).find((name) => name.endsWith('.cache'))!);
    const bytes = readFileSync(file, 'latin1');
    expect(bytes).toContain('DeepSeek');
    // One letter in every stored value that names DeepSeek; keys, lengths and layout stay as they were.
    writeFileSync(file, bytes.replaceAll('DeepSeek', 'DeepSeeK'), 'latin1');
    expect((await run(['build', '--no-newsletter', '-o', 'cached'], dir, env)).code).toBe(0);
    expect((await run(['build', '--no-newsletter', '--no-cache', '-o', 'fresh'], dir, env)).code).toBe(0);
    for (const name of readdirSync(join(dir, 'fresh')))
      expect(readFileSync(join(dir, 'cached', name), 'utf8'), name).toBe(readFileSync(join(dir, 'fresh', name), 'utf8'));
  });

  it('renders nothing again when only the spelling of the cache folder changed', async () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const fragments = () =>
      statSync(join(dir, 'cache', 'fragments', readdirSync(join(dir, 'cache', 'fragments')).find((name) => name.endsWith('.cache'))!)).size;
    const build = (cacheDir: string) =>
      runBinary(['build', '--no-newsletter', '--quiet'], { cwd: dir, env: { CHRONICLE_CACHE: '', CHRONICLE_CACHE_DIR: cacheDir } });
    expect(build(join(dir, 'cache')).code).toBe(0);
    const size = fragments();
    // Where the cache lives says nothing of what a fragment is made of: the same build adds none.
    expect(build('cache').code).toBe(0);
    expect(fragments()).toBe(size);
  });

  it('writes every file of a split timeline as without its cache, after an add (parts written as the bytes the cache holds)', async () => {
    const dir = tempDir({ 'events.yaml': generateEventsFile({ events: 2_500 }) });
    const env = { CHRONICLE_CACHE_DIR: join(dir, 'cache') };
    const files = (out: string) =>
      new Map(readdirSync(join(dir, out)).map((name) => [name, readFileSync(join(dir, out, name), 'utf8')] as const));
    expect((await run(['build', '--no-newsletter', '-o', 'cached'], dir, env)).code).toBe(0);
    const add = ['add', 'events.yaml', '--date', '2029-12-30', '--title', 'One more', '--tag', 'models', '--quiet'];
    expect((await run(add, dir, env)).code).toBe(0);
    expect((await run(['build', '--no-newsletter', '-o', 'cached'], dir, env)).code).toBe(0);
    expect((await run(['build', '--no-newsletter', '--no-cache', '-o', 'plain'], dir, env)).code).toBe(0);
    const cached = files('cached');
    expect(cached.get('index.html')).toContain('One more');
    expect(cached.has('search.json')).toBe(true);
    expect(cached).toEqual(files('plain'));
  }, 60_000);
});

// Issue 9 §3: a build writes and deletes only inside the output folder it was given, by real path,
// and never follows a symbolic link inside it. Every link here points into the test's own temp folder.
describe('nothing outside the output folder is written or deleted', () => {
  it('refuses -o site when site is a link to the current folder or to a parent, and leaves index.html alone', async () => {
    for (const target of ['.', '..']) {
      const dir = tempDir({ 'events.yaml': SEED, 'index.html': 'my own page' });
      symlinkSync(target, join(dir, 'site'));
      const before = readdirSync(dir).sort();
      const result = await run(['build', '-o', 'site'], dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('refusing to build into site');
      expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe('my own page');
      expect(readdirSync(dir).sort()).toEqual(before);
    }
  });

  it('says "it is a file" for -o events.yaml and -o another file, with no EEXIST', async () => {
    const dir = tempDir({ 'events.yaml': SEED, 'notes.txt': 'mine' });
    for (const out of ['events.yaml', 'notes.txt', 'notes.txt/out']) {
      const result = await run(['build', '-o', out], dir);
      expect(result.code, out).toBe(1);
      expect(result.stderr).toContain(`cannot build into ${out}: `);
      expect(result.stderr).toMatch(/is a file/);
      expect(result.stderr).not.toMatch(/EEXIST|ENOTDIR|\n {4}at /);
    }
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dir, 'events.yaml'), 'utf8')).toBe(SEED);
  });

  it('answers an output name it cannot use with a message, never an internal error', async () => {
    const dir = tempDir({ 'events.yaml': SEED });
    symlinkSync('loop', join(dir, 'loop'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    for (const [out, message] of [
      ['loop', 'cannot build into loop: '],
      ['dangling', 'which does not exist'],
      ['a'.repeat(300), 'cannot build into aaa'],
    ] as const) {
      const result = await run(['build', '--no-newsletter', '-o', out], dir);
      expect(result.stderr, out).toContain(message);
      expect(result.stderr).not.toMatch(/internal error|\n {4}at /);
      expect(result.code).toBe(1);
    }
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    // 240 characters is a valid name; the staging folder beside it must be one too.
    expect((await run(['build', '--no-newsletter', '-o', 'b'.repeat(240)], dir)).code).toBe(0);
    expect(existsSync(join(dir, 'b'.repeat(240), 'index.html'))).toBe(true);
  });

  it('never writes through a link to a folder inside out/ (out/newsletter -> elsewhere)', async () => {
    const { dir, out } = await buildSeed();
    mkdirSync(join(dir, 'elsewhere'));
    rmSync(join(out, 'newsletter'), { recursive: true });
    symlinkSync(join(dir, 'elsewhere'), join(out, 'newsletter'));
    const result = await run(['build'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('out/newsletter is a symbolic link');
    expect(result.stderr).toContain('rm out/newsletter');
    expect(readdirSync(join(dir, 'elsewhere'))).toEqual([]);
  });

  it('newsletter --recipients never writes a message through a link (a folder or a file)', async () => {
    const env = { CHRONICLE_SECRET: 'a-test-secret-that-is-at-least-32-bytes-long', CHRONICLE_CACHE: 'off' };
    const subscribers = 'email,name\nada@example.org,Ada\n';
    for (const linked of ['folder', 'file'] as const) {
      const dir = tempDir({ 'events.yaml': SEED, 'subscribers.csv': subscribers, 'target.txt': 'not the build' });
      mkdirSync(join(dir, 'elsewhere'));
      mkdirSync(join(dir, 'out', 'newsletter'), { recursive: true });
      if (linked === 'folder') symlinkSync(join(dir, 'elsewhere'), join(dir, 'out', 'newsletter', '2025-01'));
      else {
        mkdirSync(join(dir, 'out', 'newsletter', '2025-01'));
        symlinkSync(join(dir, 'target.txt'), join(dir, 'out', 'newsletter', '2025-01', 'ada@example.org.eml'));
      }
      const result = await run(['newsletter', '--recipients', 'subscribers.csv'], dir, env);
      expect(result.code, linked).toBe(1);
      expect(result.stderr).toContain('is a symbolic link');
      expect(readdirSync(join(dir, 'elsewhere'))).toEqual([]);
      expect(readFileSync(join(dir, 'target.txt'), 'utf8')).toBe('not the build');
    }
  });

  it('never deletes through a link listed in the manifest (out/evil -> elsewhere, evil/keep.txt)', async () => {
    const { dir, out } = await buildSeed();
    mkdirSync(join(dir, 'elsewhere'));
    writeFileSync(join(dir, 'elsewhere', 'keep.txt'), 'keep me');
    symlinkSync(join(dir, 'elsewhere'), join(out, 'evil'));
    writeFileSync(join(out, '.chronicle-build.json'), JSON.stringify({ files: ['index.html', 'evil/keep.txt'] }));
    const result = await run(['build'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('out/evil is a symbolic link');
    expect(readFileSync(join(dir, 'elsewhere', 'keep.txt'), 'utf8')).toBe('keep me');
  });

  it('replaces a link that stands where the build writes a file, never the file it points to', async () => {
    const { dir, out } = await buildSeed();
    writeFileSync(join(dir, 'target.txt'), 'not the build');
    rmSync(join(out, 'feed.xml'));
    symlinkSync(join(dir, 'target.txt'), join(out, 'feed.xml'));
    expect((await run(['build'], dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'target.txt'), 'utf8')).toBe('not the build');
    expect(lstatSync(join(out, 'feed.xml')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(out, 'feed.xml'), 'utf8')).toContain('<feed');
  });

  it('ignores manifest entries that are not plain relative names', async () => {
    const { dir, out } = await buildSeed();
    writeFileSync(join(out, '.chronicle-build.json'), JSON.stringify({ files: ['', '.', 'a//b', './x', '/etc/hosts', 7] }));
    const result = await run(['build'], dir);
    expect(result.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('writes into the files the last build replaced, kept in the cache, never into one with another name or through a link', async () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const env = { CHRONICLE_CACHE_DIR: join(dir, 'cache') };
    const page = (folder: string) => readFileSync(join(dir, folder, 'index.html'), 'utf8');
    const edit = (n: number) =>
      writeFileSync(join(dir, 'events.yaml'), SEED.replace('title: DeepSeek releases R1', `title: DeepSeek releases R1 (${n})`));
    const build = async () => expect((await run(['build', '--no-newsletter'], dir, env)).code).toBe(0);
    await build();
    edit(1);
    await build();
    // The spare holds the generation the last build replaced, each file under its own name only,
    // in the cache: nothing is left beside the output folder (it would be committed or published).
    const [home] = readdirSync(join(dir, 'cache', 'spare'));
    const spare = join(dir, 'cache', 'spare', home!, 'spare0');
    expect(readdirSync(dir).filter((name) => name.includes('chronicle'))).toEqual([]);
    const replaced = readFileSync(join(spare, 'index.html'), 'utf8');
    expect(replaced).not.toBe(page('out'));
    expect(statSync(join(spare, 'index.html')).nlink).toBe(1);
    // A user's second name for an output file (a `cp -al` snapshot) and links put in the spare.
    mkdirSync(join(dir, 'snapshot'));
    linkSync(join(dir, 'out', 'index.html'), join(dir, 'snapshot', 'index.html'));
    const snapshot = page('snapshot');
    writeFileSync(join(dir, 'elsewhere.txt'), 'keep me');
    rmSync(join(spare, 'feed.xml'));
    symlinkSync(join(dir, 'elsewhere.txt'), join(spare, 'feed.xml'));
    symlinkSync(join(dir, 'elsewhere.txt'), join(spare, '.chronicle-owner.json.tmp'));
    const spareInode = statSync(join(spare, 'feed.json')).ino;
    edit(2);
    await build();
    // Written in place: the file that was the spare is now the output.
    expect(statSync(join(dir, 'out', 'feed.json')).ino).toBe(spareInode);
    edit(3);
    await build();
    expect(page('snapshot')).toBe(snapshot);
    expect(readFileSync(join(dir, 'elsewhere.txt'), 'utf8')).toBe('keep me');
    // The same bytes as a build that keeps no spare.
    const files = (out: string) => new Map(readdirSync(join(dir, out)).map((name) => [name, readFileSync(join(dir, out, name))] as const));
    const kept = files('out');
    expect((await run(['build', '--no-newsletter', '--no-cache', '-o', 'fresh'], dir, env)).code).toBe(0);
    expect(files('fresh')).toEqual(kept);
    expect(readdirSync(dir).filter((name) => name.includes('chronicle'))).toEqual([]);
  });

  it('keeps the spares of the four output folders built last', async () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const env = { CHRONICLE_CACHE_DIR: join(dir, 'cache') };
    const spares = () => readdirSync(join(dir, 'cache', 'spare')).filter((home) => existsSync(join(dir, 'cache', 'spare', home, 'spare0')));
    for (const out of ['a', 'b', 'c', 'd', 'e', 'f']) expect((await run(['build', '--no-newsletter', '-o', out], dir, env)).code).toBe(0);
    expect(spares()).toHaveLength(4);
    expect(readdirSync(join(dir, 'cache', 'spare'))).toHaveLength(4);
    // The folder built last keeps its spare, and builds into it again as before.
    expect((await run(['build', '--no-newsletter', '-o', 'f'], dir, env)).code).toBe(0);
    expect(spares()).toHaveLength(4);
  });

  it('removes a spare claim that a killed build left in the cache, and keeps a live one', async () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const env = { CHRONICLE_CACHE_DIR: join(dir, 'cache') };
    expect((await run(['build', '--no-newsletter'], dir, env)).code).toBe(0);
    const [home] = readdirSync(join(dir, 'cache', 'spare'));
    const claim = (name: string, owner: object) => {
      const path = join(dir, 'cache', 'spare', home!, name);
      mkdirSync(path);
      writeFileSync(join(path, 'index.html'), 'an old page');
      writeFileSync(join(path, '.chronicle-owner.json'), JSON.stringify(owner));
      return path;
    };
    const dead = claim('claim-dead01', { pid: deadPid(), host: hostname() });
    const live = claim('claim-live01', { pid: process.pid, host: hostname() });
    // Claimed from the spare and killed before it named its owner: kept while its claim is recent
    // (a rename sets a folder's ctime, which no test can move back: the ten minutes are not tested).
    const fresh = claim('claim-new001', { spare: true, host: hostname() });
    expect((await run(['build', '--no-newsletter'], dir, env)).code).toBe(0);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(fresh)).toBe(true);
  });

  it('removes staging folders that a killed build left, and keeps those of a live build', async () => {
    const { dir, out } = await buildSeed();
    const staging = (suffix: string, owner?: object) => {
      const path = join(dir, `.out.chronicle-${suffix}`);
      mkdirSync(path);
      writeFileSync(join(path, 'index.html'), 'partial page');
      if (owner) writeFileSync(join(path, '.chronicle-owner.json'), JSON.stringify(owner));
      return path;
    };
    const dead = staging('dead01', { pid: deadPid(), host: hostname() });
    const old = staging('old001');
    utimesSync(old, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const live = staging('live01', { pid: process.pid, host: hostname() });
    const fresh = staging('fresh1');
    const otherHost = staging('other1', { pid: deadPid(), host: 'another-machine' });
    mkdirSync(join(dir, 'elsewhere'));
    writeFileSync(join(dir, 'elsewhere', 'keep.txt'), 'keep me');
    symlinkSync(join(dir, 'elsewhere'), join(dir, '.out.chronicle-link01'));
    const mine = join(dir, '.notes.chronicle-abcdef');
    mkdirSync(mine);
    expect((await run(['build'], dir)).code).toBe(0);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(old)).toBe(false);
    for (const kept of [live, fresh, otherHost, mine]) expect(existsSync(kept), kept).toBe(true);
    expect(readFileSync(join(dir, 'elsewhere', 'keep.txt'), 'utf8')).toBe('keep me');
    expect(lstatSync(join(dir, '.out.chronicle-link01')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  });

  it('cleans up after a build killed with SIGKILL on the next build', async () => {
    const dir = tempDir({ 'events.yaml': generateEventsFile({ events: 3000 }) });
    const child = spawn(process.execPath, [BIN, 'build', '--no-newsletter'], {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, CHRONICLE_CACHE: 'off' },
    });
    const exited = new Promise((resolveExit) => child.on('exit', resolveExit));
    const stagingNow = () => readdirSync(dir).filter((name) => name.startsWith('.out.chronicle-'));
    // Killed once the build has begun writing its staging folder (its owner file is the first file).
    const writing = () => stagingNow().some((name) => existsSync(join(dir, name, '.chronicle-owner.json')));
    const deadline = Date.now() + 30_000;
    while (!writing() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    child.kill('SIGKILL');
    await exited;
    expect(stagingNow()).toHaveLength(1);
    expect((await run(['build', '--no-newsletter'], dir)).code).toBe(0);
    expect(stagingNow()).toEqual([]);
  }, 60_000);
});

/** A pid no process has: spawn a process that exits, and use its pid once it is gone. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}
