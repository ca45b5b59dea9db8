// Issue 9: every bad input gets a clean answer (exit 1, or 2 for a bad flag), never exit 70 or a
// stack trace. Each case failed before its fix.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPreview } from '../../src/serve/preview.js';
import { ROOT, run, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
const STACK = /\n\s+at .+[(:]\d+/;

function withTemplateTypo() {
  const dir = tempDir({ 'events.yaml': SEED });
  mkdirSync(join(dir, 'mine', 'timeline'), { recursive: true });
  const page = readFileSync(join(ROOT, 'templates', 'timeline', 'page.hbs'), 'utf8');
  // `{{title}` where `{{title}}` was meant, on a line of its own so the column is known.
  writeFileSync(join(dir, 'mine', 'timeline', 'page.hbs'), `<!-- mine -->\n  <p>{{title}</p>\n${page}`);
  return dir;
}

describe('a typo in a user template', () => {
  it('is reported at the template file, line and column, with exit 1 (exit 70 and a Handlebars stack before)', async () => {
    const dir = withTemplateTypo();
    const result = await run(['build', '--templates', 'mine', '--no-newsletter'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(STACK);
    expect(result.stderr).toMatchInlineSnapshot(`
      "chronicle: mine/timeline/page.hbs:2:13: the template timeline/page.hbs has a syntax error: unexpected text inside {{ ... }}
        hint: fix the template: every {{ needs its }}, every {{#block}} its {{/block}}
      "
    `);
  });

  it('shows on the preview server, which keeps running', async () => {
    const dir = withTemplateTypo();
    const preview = await startPreview({ file: 'events.yaml', cwd: dir, port: 0, host: '127.0.0.1', templatesDir: join(dir, 'mine') });
    try {
      const page = await (await fetch(`${preview.url}site/`)).text();
      expect(page).toContain('/mine/timeline/page.hbs:2:13: the template timeline/page.hbs has a syntax error');
      const index = await fetch(preview.url);
      expect(index.status).toBe(200);
    } finally {
      await preview.close();
    }
  });
});

describe('a user template that fails as it renders', () => {
  it.each([
    ['a partial that does not exist (compiled path)', '{{#each lists}}{{#each this}}{{> nosuch}}{{/each}}{{/each}}\n'],
    [
      'a partial that does not exist (Handlebars path: block params)',
      '{{#each lists as |list|}}{{#each list}}{{> nosuch}}{{/each}}{{/each}}\n',
    ],
  ])('%s: exit 1 naming the template folder, no stack (exit 70 and "a bug in chronicle" before)', async (_name, year) => {
    const dir = tempDir({ 'events.yaml': SEED });
    mkdirSync(join(dir, 'mine', 'timeline', 'partials'), { recursive: true });
    writeFileSync(join(dir, 'mine', 'timeline', 'partials', 'year.hbs'), year);
    const result = await run(['build', '--templates', 'mine', '--no-newsletter'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(STACK);
    expect(result.stderr).not.toContain('bug');
    expect(result.stderr).toContain('could not be rendered: The partial nosuch could not be found');
    expect(result.stderr).toContain(`check the templates in ${join(dir, 'mine')}`);
  });
});

describe('an output folder that is a file', () => {
  it.each([['notes.txt'], ['events.yaml'], ['notes.txt/sub']])(
    'build -o %s: "it is a file", exit 1 (EEXIST from mkdir and exit 70 before)',
    async (out) => {
      const dir = tempDir({ 'events.yaml': SEED, 'notes.txt': 'mine\n' });
      const result = await run(['build', '-o', out, '--no-newsletter'], dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^chronicle: cannot build into ${out}: (it|notes.txt)(, or a folder above it,)? is a file`));
      expect(result.stderr).not.toMatch(STACK);
      expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
      expect(readFileSync(join(dir, 'events.yaml'), 'utf8')).toBe(SEED);
    },
  );
});

describe('control characters in quoted strings', () => {
  // A NUL passed check and killed build and newsletter in the second Handlebars pass ("Lexical error").
  const bad = SEED.replace('publisher: ChinaTalk', 'publisher: "China\\0Talk"');

  it('check, build and newsletter all refuse it with the same located problem, exit 1', async () => {
    expect(bad).not.toBe(SEED);
    const dir = tempDir({ 'events.yaml': bad });
    const check = await run(['check'], dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('publisher contains the control character U+0000');
    for (const argv of [['build'], ['newsletter']]) {
      const result = await run(argv, dir);
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).toContain('publisher contains the control character U+0000');
      expect(result.stdout + result.stderr).not.toMatch(STACK);
    }
  });

  it('add --json refuses it too', async () => {
    const dir = tempDir({ 'events.yaml': SEED, 'new.json': JSON.stringify({ date: '2025-01-29', title: 'Bell\u0007 rings' }) });
    const result = await run(['add', '--json', 'new.json'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('title: title contains the control character U+0007 (at character 5)');
    expect(readFileSync(join(dir, 'events.yaml'), 'utf8')).toBe(SEED);
  });
});

describe('the first ten minutes', () => {
  it('a date flag written day first gets "did you mean 2025-01-27?"', async () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const add = await run(['add', '--date', '27/01/2025', '--title', 'X'], dir);
    expect(add.code).toBe(2);
    expect(add.stderr).toContain('hint: did you mean 2025-01-27?');
    const now = await run(['check', '--now', 'Jan 27 2025'], dir);
    expect(now.code).toBe(2);
    expect(now.stderr).toBe(
      'chronicle: --now "Jan 27 2025" is not a day\n  hint: did you mean --now 2025-01-27? write --now YYYY-MM-DD, e.g. --now 2025-01-31\n',
    );
  });

  it('the examples of add --help work on the seed file (--actor nvidia --tag markets failed before)', async () => {
    const dir = tempDir({ 'events.yaml': SEED });
    const help = (await run(['add', '--help'], dir)).stdout;
    const example = /^ {2}chronicle add (--date .+)$/m.exec(help)?.[1];
    expect(example).toBeDefined();
    const argv = [...example!.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
    const result = await run(['add', ...argv, '--dry-run'], dir);
    expect([result.code, result.stderr]).toEqual([0, '']);
  });

  it('-q prints only errors (a warning about CHRONICLE_SECRET and add notes before)', async () => {
    const dir = tempDir({ 'events.yaml': SEED.replace(/^as_of: .*$/m, 'as_of: 2025-01-31') });
    for (const argv of [['check'], ['build'], ['newsletter'], ['add', '--date', '2025-01-29', '--title', 'Quiet']]) {
      const result = await run(['-q', ...argv], dir, { CHRONICLE_CACHE: 'off' });
      expect([argv[0], result.code, result.stdout, result.stderr]).toEqual([argv[0], 0, '', '']);
    }
  });
});

describe('serve --open without a browser', () => {
  it('prints the address to open by hand (nothing before)', async () => {
    const { serve } = await import('../../src/commands/serve.js');
    const dir = tempDir({ 'events.yaml': SEED });
    let stdout = '';
    let stderr = '';
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'no-such-bin'); // no xdg-open, no open
    let stop = () => {};
    const until = new Promise<void>((resolve) => {
      stop = resolve;
    });
    try {
      const io = {
        cwd: dir,
        stdout: (t: string) => {
          stdout += t;
        },
        stderr: (t: string) => {
          stderr += t;
        },
        color: false,
        interactive: false,
        env: {},
      };
      const running = serve({ file: 'events.yaml', port: '0', open: true, quiet: true, until }, io);
      for (let i = 0; i < 100 && !stderr; i++) await new Promise((r) => setTimeout(r, 20));
      stop();
      expect(await running).toBe(0);
    } finally {
      process.env.PATH = path;
    }
    const url = /on (http:\/\/\S+) /.exec(stdout)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(stderr).toBe(`chronicle: no browser could be opened here; open ${url} yourself\n`);
  });
});
