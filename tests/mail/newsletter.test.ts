// The newsletter issue: MJML strict, a real MIME parser, html-validate with an email configuration,
// caniemail, the size budget, and user text that never becomes a token, a header or a script.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { caniemail } from 'caniemail';
import { HtmlValidate } from 'html-validate';
import { simpleParser } from 'mailparser';
import { describe, expect, it, vi } from 'vitest';
import { generateMonthFile } from '../../bench/generate-events.js';
import { loadTimeline } from '../../src/events/load.js';
import { buildIssueFiles } from '../../src/newsletter/site.js';
import { issueWindow } from '../../src/newsletter/window.js';
import { hasChromium, launchChromium, serveFolder } from '../browser/chromium.js';
import { ROOT, run, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');

// Every MJML document the renderer compiles, kept so a test can validate it itself in strict mode.
const mjmlInputs: string[] = vi.hoisted(() => []);
vi.mock('mjml', async (importOriginal) => {
  const real = (await importOriginal<typeof import('mjml')>()).default;
  return {
    default: (input: string, options?: Parameters<typeof real>[1]) => {
      mjmlInputs.push(input);
      return real(input, options);
    },
  };
});
const SECRET = { CHRONICLE_SECRET: 'test-secret-of-at-least-thirty-two-bytes', CHRONICLE_CACHE: 'off' };

async function newsletter(text: string, argv: string[] = [], env: Record<string, string> = SECRET) {
  const dir = tempDir({ 'events.yaml': text });
  const result = await run(['newsletter', ...argv], dir, env);
  const folder = join(dir, 'out', 'newsletter');
  const files = () => readdirSync(folder).sort();
  return { dir, result, folder, files, read: (name: string) => readFileSync(join(folder, name)) };
}

const monthOfEvents = generateMonthFile;

async function issueOf(text: string) {
  const timeline = loadTimeline(text).timeline!;
  const issue = await buildIssueFiles(timeline, {
    window: issueWindow(timeline.now, {}),
    locale: 'en',
    secret: 'test-secret-of-at-least-thirty-two-bytes',
    ...(timeline.baseUrl ? { baseUrl: timeline.baseUrl } : {}),
  });
  return issue!;
}

describe('chronicle newsletter', () => {
  it('writes the web version, the text part, the .eml and the archive', async () => {
    const { result, files } = await newsletter(SEED);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^wrote out\/newsletter\/2025-01\.html, \.txt and \.eml: "AI Timeline: January 2025", 2 events, HTML \d+ KB\n$/,
    );
    expect(files()).toEqual(['2025-01.eml', '2025-01.html', '2025-01.txt', 'feed.xml', 'index.html', 'issues.json']);
  });

  it('puts the issue number in the subject and the file names', async () => {
    const { files, read } = await newsletter(SEED, ['--issue', '7']);
    expect(files()).toContain('issue-7.eml');
    const mail = await simpleParser(read('issue-7.eml'));
    expect(mail.subject).toBe('AI Timeline #7: January 2025');
  });

  it('says there is nothing to send for an empty period, writes nothing, and exits 0', async () => {
    const { result, dir } = await newsletter(SEED, ['--since', '2016-03-01', '--until', '2016-03-31']);
    expect(result).toMatchObject({ code: 0, stdout: 'no events between 2016-03-01 and 2016-03-31: nothing to send\n' });
    expect(readdirSync(dir)).toEqual(['events.yaml']);
  });

  it('refuses a subject with a line break, which would add a header', async () => {
    const { result } = await newsletter(SEED, ['--subject', 'Hello\r\nBcc: victim@example.org']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--subject contains a line break, which would let it add mail headers');
  });

  it('writes the same bytes for the same inputs', async () => {
    const a = await newsletter(SEED);
    const b = await newsletter(SEED);
    for (const name of ['2025-01.eml', '2025-01.html', '2025-01.txt']) expect(a.read(name).equals(b.read(name))).toBe(true);
  });
});

describe('the .eml, read back by mailparser', () => {
  it('has the text and HTML parts, every header, and no token left', async () => {
    const { read } = await newsletter(SEED);
    const raw = read('2025-01.eml').toString('utf8');
    expect(raw).toMatch(/\r\n/);
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const mail = await simpleParser(read('2025-01.eml'));
    expect(mail.from?.text).toBe('"AI Timeline" <news@example.org>');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('news@example.org');
    expect(mail.subject).toBe('AI Timeline: January 2025');
    expect(mail.date?.toISOString()).toBe('2025-01-31T00:00:00.000Z');
    expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@example\.org>$/);
    const list = mail.headers.get('list') as Record<string, { id?: string; name?: string; url?: string; mail?: string } | undefined>;
    expect(list.id).toMatchObject({ id: 'ai-timeline.example.org', name: 'AI Timeline' });
    // Published with the site: a token here would unsubscribe the sender (issue 9).
    expect(list.unsubscribe).toBeUndefined();
    expect(raw).not.toMatch(/unsubscribe\/[A-Za-z0-9_-]{43}/);
    expect(raw.indexOf('Content-Type: text/plain')).toBeLessThan(raw.indexOf('Content-Type: text/html'));
    for (const part of [mail.text ?? '', mail.html || '']) {
      expect(part).not.toContain('{{');
      expect(part).toContain('DeepSeek releases R1');
    }
    expect(mail.html).toMatch(/<html lang="en"/);
    expect(mail.html).not.toContain('lang="und"');
    expect(mail.text).toContain('Claim by DeepSeek, not independently verified');
  });

  it('has a text part readable at 78 columns, with its links on lines of their own', async () => {
    const { read } = await newsletter(SEED);
    const lines = read('2025-01.txt').toString('utf8').split('\n');
    expect(
      lines.filter((line) => line.length > 78 && !/^\s*(- .*<)?https?:\/\/\S+>?$/.test(line.trim()) && !/<https?:\/\/\S+>$/.test(line)),
    ).toEqual([]);
  });

  it('writes the issue without a secret: the issue-level .eml carries no token, so it needs none', async () => {
    const { result, read } = await newsletter(SEED, [], { CHRONICLE_CACHE: 'off' });
    // Without recipients the issue is still written (the refusal with recipients is in deliver.test.ts).
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(read('2025-01.eml').toString('utf8')).not.toContain('List-Unsubscribe');
  });
});

describe('the HTML part', () => {
  it('passes MJML strict validation for the seed issue and for issues of 1, 20 and 40 events', async () => {
    const mjml2html = (await vi.importActual<typeof import('mjml')>('mjml')).default;
    for (const text of [SEED, monthOfEvents(1), monthOfEvents(20), monthOfEvents(40)]) {
      mjmlInputs.length = 0;
      const issue = await issueOf(text);
      expect(issue.compiled.htmlBytes).toBeGreaterThan(1000);
      expect(mjmlInputs.length).toBeGreaterThan(0);
      // Validated here, whatever level the renderer uses: strict throws on any error, and lists none.
      for (const input of mjmlInputs) expect((await mjml2html(input, { validationLevel: 'strict' })).errors).toEqual([]);
    }
  });

  it('stays under 102 KB with 40 events, and with 400 keeps the headlines and links to the rest', async () => {
    const forty = await issueOf(monthOfEvents(40));
    expect(forty.compiled.htmlBytes).toBeLessThan(102 * 1024);
    expect(forty.eventCount).toBe(40);
    const many = await issueOf(monthOfEvents(400));
    expect(many.compiled.htmlBytes).toBeLessThan(102 * 1024);
    expect(many.compiled.view.more).toBeGreaterThan(0);
    const headlines = loadTimeline(monthOfEvents(400)).timeline!.events.filter((e) => e.importance === 1).length;
    expect(many.compiled.view.headlines).toHaveLength(headlines);
    const html = many.compiled.render({ recipient: { name: 'Ada' }, unsubscribe_url: 'https://example.org/u/x' }).html;
    expect(html).toContain(`${many.compiled.view.more} more events in the web version`);
  });

  it('is valid HTML for html-validate with an email configuration', async () => {
    const { read } = await newsletter(SEED);
    const html = (await simpleParser(read('2025-01.eml'))).html || '';
    expect(html).toContain('DeepSeek releases R1');
    const validator = new HtmlValidate({
      extends: ['html-validate:recommended'],
      rules: {
        // Email HTML is inline styles by necessity: many clients drop <style> blocks.
        'no-inline-style': 'off',
        // MJML's layout tables carry presentational attributes (align, border, cellpadding) that
        // Outlook and older clients still need.
        'no-deprecated-attr': 'off',
        // MJML's <!--[if mso]> blocks are how Outlook for Windows gets its table layout.
        'no-conditional-comment': 'off',
        // MJML marks its wrapper role="article" (for screen readers in webmail, which strip <article>).
        'prefer-native-element': 'off',
        // MJML writes <!doctype html> in lower case; both are valid HTML.
        'doctype-style': 'off',
      },
    });
    const report = await validator.validateString(html);
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
  });

  it('raises only the caniemail issue kinds we accept for Gmail, Outlook and Apple Mail', async () => {
    const { read } = await newsletter(SEED);
    const mail = await simpleParser(read('2025-01.eml'));
    const result = caniemail({ html: mail.html || '', clients: ['gmail.*', 'outlook.*', 'apple-mail.*'] });
    const kinds = (issues: Map<string, { title: string }[]>) => [...new Set([...issues.values()].flat().map((i) => i.title))].sort();
    // All come from MJML's skeleton (resets, responsive @media, Outlook fallbacks), which degrades
    // gracefully where a client lacks them; a new kind means our template added something to check.
    // One kind is ours: the [data-ogsc]/[data-ogsb] hooks of dark mode (attribute selectors), which only
    // Outlook's apps match, since they add those attributes; everywhere else the rules are ignored.
    expect(kinds(result.issues.errors as unknown as Map<string, { title: string }[]>)).toEqual([
      '<body> element',
      '<style> element',
      '@media',
      'Attribute selector',
      'Chaining selectors',
      'Class selector',
      'Descendant combinator',
      'ID selector',
      'Type selector',
      'aria-label attribute',
      'display:none',
      'opacity',
      'outline',
      'overflow',
      'role attribute',
      'transform',
      'word-break',
      'word-spacing',
    ]);
  });
});

describe('user text in the mail', () => {
  it('never becomes a recipient token, a header or markup', async () => {
    const fixture = readFileSync(join(ROOT, 'tests/fixtures/injection.yaml'), 'utf8');
    const issue = await issueOf(fixture);
    const { html, text } = issue.compiled.render({ recipient: { name: 'Ada' }, unsubscribe_url: 'https://example.org/u/t' });
    expect(html).toContain('{{constructor.constructor(');
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toMatch(/<img[^>]+onerror/);
    expect(text).toContain("{{constructor.constructor('window.__pwned=3')()}}");
    expect(html).toContain('Hello Ada,');
  });
});

describe.skipIf(!hasChromium)('the web version in Chromium', () => {
  it('runs none of the script that users wrote', async () => {
    const fixture = readFileSync(join(ROOT, 'tests/fixtures/injection.yaml'), 'utf8');
    const { folder, result } = await newsletter(fixture, ['--allow-empty']);
    expect(result.code).toBe(0);
    const server = await serveFolder(folder);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const name = readdirSync(folder).find((f) => f.endsWith('.html') && f !== 'index.html')!;
      await page.goto(`${server.url}${name}`);
      await page.mouse.move(10, 10);
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.locator('body').textContent()).toContain("<script>window.__pwned='event title'</script>");
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
