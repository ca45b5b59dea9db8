// Pictures of events: `check` refuses what a page or a mail could not show (located), `build` copies
// a local file under a content-hashed name and sets its size, and every output that shows events
// carries it (page, og:image, TimelineJS, newsletter); `add --image --image-alt`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { eventsFile, run, tempDir } from '../helpers.js';
import { TINY_GIF, tinyPng } from '../support/tiny-images.js';

const PNG = tinyPng(40, 30);

function withImage(image: string, head = ''): string {
  return eventsFile(
    `  - id: r1
    date: 2025-01-20
    title: DeepSeek releases R1
    importance: 1
    sources:
      - { publisher: DeepSeek }
    image: ${image}
`,
    head,
  );
}

async function check(image: string, files: Record<string, string | Buffer> = {}) {
  const dir = tempDir({ 'events.yaml': withImage(image), ...files });
  return run(['check', '--json'], dir);
}

describe('check and pictures', () => {
  it('accepts a local PNG, a GIF, a decorative picture and a remote https one', async () => {
    for (const image of ['{ src: a.png, alt: "A chart" }', '{ src: b.gif, alt: "" }', '{ src: "https://example.org/a.webp", alt: A }']) {
      const result = await check(image, { 'a.png': PNG, 'b.gif': TINY_GIF });
      expect(result.stdout, image).toBe('[]\n');
      expect(result.code).toBe(0);
    }
  });

  it.each([
    ['{ src: a.png }', 'missing', /`alt` is missing in an image/, 16],
    ['{ src: a.svg, alt: A }', 'image-type', /is an SVG: mail clients do not show SVG/, 16],
    ['{ src: a.bmp, alt: A }', 'image-type', /is not a JPEG, PNG, WebP or GIF file \(\.bmp\)/, 16],
    ['{ src: "http://example.org/a.png", alt: A }', 'image-not-https', /is not an https address/, 16],
    ['{ src: "javascript:alert(1).png", alt: A }', 'unsafe-url', /only http and https/, 16],
    ['{ src: a.png, alt: A, link: "javascript:x" }', 'unsafe-url', /only http and https/, 16],
    ['{ src: missing.png, alt: A }', 'image-missing', /the picture "missing\.png" is not there/, 16],
    ['{ src: fake.jpg, alt: A }', 'image-unreadable', /named as JPEG but its bytes are PNG/, 16],
    ['{ src: text.png, alt: A }', 'image-unreadable', /is not a picture chronicle can read/, 16],
  ])('refuses %s with a located %s error', async (image, code, message, line) => {
    const result = await check(image, { 'a.png': PNG, 'fake.jpg': PNG, 'text.png': 'not a picture' });
    expect(result.code).toBe(1);
    const problems = JSON.parse(result.stdout) as { code: string; line: number; message: string; path: string }[];
    const found = problems.find((p) => p.code === code);
    expect(found, result.stdout).toBeDefined();
    expect(found!.message).toMatch(message);
    expect(found!.line).toBe(line);
    expect(found!.path).toMatch(/^events\[0\]\.image/);
  });

  it('refuses to build with a missing picture file, saying where', async () => {
    const dir = tempDir({ 'events.yaml': withImage('{ src: pics/gone.png, alt: A }') });
    const result = await run(['build', '--no-newsletter'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/events\.yaml:16:\d+ {2}events\[0\]\.image\.src {2}the picture "pics\/gone\.png" is not there/);
    expect(result.stderr).toContain('nothing was built');
  });
});

describe('build and pictures', () => {
  it('copies a local picture under a content-hashed name, byte-identical, with its size on the <img>', async () => {
    const dir = tempDir({
      'events.yaml': withImage(
        '{ src: pics/chart.png, alt: "A chart", credit: DeepSeek, link: "https://example.org/p" }',
        'base_url: https://example.org/t/\n',
      ),
    });
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(dir, 'pics'));
    writeFileSync(join(dir, 'pics', 'chart.png'), PNG);
    const result = await run(['build', '--now', '2025-01-31'], dir);
    expect(result.code, result.stderr).toBe(0);
    const out = join(dir, 'out');
    const media = readdirSync(join(out, 'media'));
    expect(media).toHaveLength(1);
    expect(media[0]).toMatch(/^[0-9a-f]{12}\.png$/);
    expect(readFileSync(join(out, 'media', media[0]!)).equals(PNG)).toBe(true);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain(
      `<figure class="picture"><img src="media/${media[0]}" alt="A chart" width="40" height="30" loading="lazy" decoding="async"><figcaption><a href="https://example.org/p">DeepSeek</a></figcaption></figure>`,
    );
    expect(html).toContain(`<meta property="og:image" content="https://example.org/t/media/${media[0]}">`);
    const slide = JSON.parse(readFileSync(join(out, 'timeline.json'), 'utf8')).events.find(
      (e: { unique_id: string }) => e.unique_id === 'r1',
    );
    expect(slide.media).toEqual({
      url: `https://example.org/t/media/${media[0]}`,
      alt: 'A chart',
      caption: '',
      credit: 'DeepSeek',
      link: 'https://example.org/p',
    });
    const web = readFileSync(join(out, 'newsletter', '2025-01.html'), 'utf8');
    expect(web).toContain(`src="https://example.org/t/media/${media[0]}"`);
    const mail = await simpleParser(readFileSync(join(out, 'newsletter', '2025-01.eml')));
    expect(mail.html).toMatch(new RegExp(`<img alt="A chart" src="https://example.org/t/media/${media[0]}"[^>]* width="40" height="30">`));
    // The same build again: the same name (content-hashed), nothing else in media/.
    expect((await run(['build', '--now', '2025-01-31'], dir)).code).toBe(0);
    expect(readdirSync(join(out, 'media'))).toEqual(media);
  });

  it('leaves a local picture out of the mail without base_url (the web version links it relatively)', async () => {
    const dir = tempDir({ 'events.yaml': withImage('{ src: chart.png, alt: "A chart" }'), 'chart.png': PNG });
    expect((await run(['build', '--now', '2025-01-31'], dir)).code).toBe(0);
    const out = join(dir, 'out');
    const [name] = readdirSync(join(out, 'media'));
    const mail = await simpleParser(readFileSync(join(out, 'newsletter', '2025-01.eml')));
    expect(mail.html).toContain('DeepSeek releases R1');
    expect(mail.html).not.toContain('<img');
    expect(readFileSync(join(out, 'newsletter', '2025-01.html'), 'utf8')).toContain(`src="../media/${name}"`);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).not.toContain('og:image');
  });

  it('shows a remote https picture without size and makes it og:image', async () => {
    const dir = tempDir({ 'events.yaml': withImage('{ src: "https://example.org/r1.jpg", alt: "" }') });
    expect((await run(['build', '--no-newsletter'], dir)).code).toBe(0);
    const html = readFileSync(join(dir, 'out', 'index.html'), 'utf8');
    expect(html).toContain('<img src="https://example.org/r1.jpg" alt="" loading="lazy" decoding="async">');
    expect(html).toContain('<meta property="og:image" content="https://example.org/r1.jpg">');
  });
});

describe('add --image', () => {
  it('needs --image-alt with --image (exit 2)', async () => {
    const dir = tempDir({ 'events.yaml': eventsFile() });
    const result = await run(['add', '--date', '2025-01-27', '--title', 'X', '--image', 'a.png'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--image and --image-alt go together/);
  });

  it('writes the picture with its text alternative, and JSON input takes image too', async () => {
    const dir = tempDir({
      'events.yaml': eventsFile(),
      'a.png': PNG,
      'e.json': JSON.stringify({ date: '2025-01-28', title: 'Y', image: { src: 'a.png', alt: '' } }),
    });
    expect((await run(['add', '--date', '2025-01-27', '--title', 'X', '--image', 'a.png', '--image-alt', 'A chart'], dir)).code).toBe(0);
    expect((await run(['add', '--json', 'e.json'], dir)).code).toBe(0);
    const text = readFileSync(join(dir, 'events.yaml'), 'utf8');
    expect(text).toMatch(/image:\n\s+src: a\.png\n\s+alt: A chart/);
    expect((await run(['check', '--json'], dir)).code).toBe(0);
    const result = await run(['build', '--no-newsletter'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out', 'index.html'), 'utf8')).toContain('alt="A chart" width="40" height="30"');
  });
});
