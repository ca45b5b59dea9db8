// The web version is a web page, not the mail: its own template, valid for the Nu HTML Checker and
// html-validate, the timeline's look; the archive lists issues by subject, newest first, with a feed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { ROOT, run, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
const ENV = { CHRONICLE_CACHE: 'off' };
const VNU = join(ROOT, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
// CI (.ci/run) installs Java and sets CHRONICLE_REQUIRE_JAVA, so there the check runs, never skips.
const hasJava = spawnSync('java', ['-version']).status === 0 || process.env.CHRONICLE_REQUIRE_JAVA === '1';

async function twoIssues() {
  const dir = tempDir({ 'events.yaml': SEED });
  expect((await run(['newsletter', '--now', '2024-12-15'], dir, ENV)).code).toBe(0);
  expect((await run(['newsletter'], dir, ENV)).code).toBe(0);
  const folder = join(dir, 'out', 'newsletter');
  return { dir, folder, read: (name: string) => readFileSync(join(folder, name), 'utf8') };
}

describe('the web version', () => {
  it('has the issue and none of the mail-only lines, and links to the archive and the timeline', async () => {
    const { read } = await twoIssues();
    const html = read('2025-01.html');
    expect(html).toContain('DeepSeek releases R1');
    expect(html).toContain('<h1>AI Timeline: January 2025</h1>');
    for (const mailOnly of ['View this issue in your browser', 'Hello', 'You receive', 'unsubscribe', 'xmlns:v', 'mso-'])
      expect(html).not.toContain(mailOnly);
    expect(html).toContain('<a href="index.html">Past issues</a>');
    expect(html).toMatch(/<a href="(\.\.\/index\.html|https:\/\/example\.org\/timeline\/)">On the timeline<\/a>/);
    // The timeline's own style sheet: the same look.
    expect(html).toContain(readFileSync(join(ROOT, 'templates', 'timeline', 'style.css'), 'utf8').slice(0, 200));
  });

  it('passes html-validate (recommended, no exceptions), the web page and the archive', async () => {
    const { read } = await twoIssues();
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
    for (const name of ['2025-01.html', 'index.html']) {
      const report = await validator.validateString(read(name));
      expect(report.results.flatMap((r) => r.messages.map((m) => `${name}: ${m.ruleId}: ${m.message}`))).toEqual([]);
    }
  });

  it.skipIf(!hasJava)(
    'has 0 errors in the Nu HTML Checker, the web page and the archive',
    async () => {
      const { folder } = await twoIssues();
      const result = spawnSync(
        'java',
        ['-jar', VNU, '--format', 'json', '--stdout', join(folder, '2025-01.html'), join(folder, 'index.html')],
        {
          encoding: 'utf8',
        },
      );
      const messages = (JSON.parse(result.stdout) as { messages: { type: string; message: string; url: string }[] }).messages;
      expect(messages.filter((m) => m.type === 'error').map((m) => `${m.url}: ${m.message}`)).toEqual([]);
    },
    60_000,
  );
});

describe('the archive', () => {
  it('lists every issue by subject and period, newest first, and has an Atom feed of issues', async () => {
    const { read } = await twoIssues();
    const html = read('index.html');
    const january = html.indexOf('AI Timeline: January 2025');
    const december = html.indexOf('AI Timeline: December 2024');
    expect(january).toBeGreaterThan(-1);
    expect(december).toBeGreaterThan(january);
    expect(html).toContain('<a href="2024-12.html">AI Timeline: December 2024</a>');
    expect(html).not.toMatch(/>2025-01</);
    const feed = parseFeed(read('feed.xml'));
    expect(feed.items.map((i) => i.title)).toEqual(['AI Timeline: January 2025', 'AI Timeline: December 2024']);
    expect(feed.items[0]?.url).toBe('https://example.org/timeline/newsletter/2025-01.html');
    expect(JSON.parse(read('issues.json')).issues.map((i: { id: string }) => i.id)).toEqual(['2025-01', '2024-12']);
  });

  it('survives a damaged index: the issues on disk are still listed', async () => {
    const { dir, folder, read } = await twoIssues();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(folder, 'issues.json'), '{not json');
    expect((await run(['newsletter'], dir, ENV)).code).toBe(0);
    expect(read('index.html')).toContain('<a href="2024-12.html">2024-12</a>');
  });
});
