// The smallest failing case of each kind the hostile-input review and the mutant test found, kept as
// fixtures (tests/fixtures/regressions/): each fails check with a located problem, and build with
// the same exit code, never 70 and never a stack trace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, run, tempDir } from '../helpers.js';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'regressions');
const STACK = /\n\s+at .+[(:]\d+|internal error/;

async function checkAndBuild(fixture: string, text: string | Buffer = readFileSync(join(FIXTURES, fixture))) {
  const dir = tempDir({ 'events.yaml': text });
  const check = await run(['check'], dir);
  const build = await run(['build', '-o', 'out'], dir);
  for (const result of [check, build]) expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK);
  expect([check.code, build.code]).toEqual([1, 1]);
  return check.stdout.split('\n')[0];
}

describe('regressions of issue 9', () => {
  it('a NUL in a quoted publisher passed check and killed build in the second Handlebars pass', async () => {
    expect(await checkAndBuild('nul-in-quoted-publisher.yaml')).toBe(
      'events.yaml:9:20  events[0].sources[0].publisher  publisher contains the control character U+0000 (at character 6)',
    );
  });

  it('a C0 control in display_date passed check', async () => {
    expect(await checkAndBuild('c0-control-in-display-date.yaml')).toContain('display_date contains the control character U+0001');
  });

  it('U+FFFE in a summary made feed.xml not well-formed', async () => {
    expect(await checkAndBuild('xml-forbidden-ufffe-in-summary.yaml')).toContain('summary contains the control character U+FFFE');
  });

  it('a lone surrogate in a title made feed.xml not well-formed', async () => {
    // Made here: a fixture with this escape would trip Biome's own YAML reader.
    const text = readFileSync(join(FIXTURES, 'c0-control-in-display-date.yaml'), 'utf8').replace(
      'title: An event',
      'title: "An \\uD800 event"',
    );
    expect(await checkAndBuild('', text)).toContain('U+D800 (half of a surrogate pair)');
  });

  it('62 levels of flow lists escaped as a raw YAMLException (exit 70)', async () => {
    expect(await checkAndBuild('flow-nesting-62-levels.yaml')).toMatch(/^events\.yaml:9:\d+ {2}the file nests too deeply$/);
  });

  it('10,000 levels of flow lists overflowed the stack in the fast reader (exit 70)', async () => {
    // Made here, not kept as a fixture: Biome's own YAML reader overflows its stack on it.
    const text = readFileSync(join(FIXTURES, 'flow-nesting-62-levels.yaml'), 'utf8').replace(
      /\[+\]+/,
      `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
    );
    expect(await checkAndBuild('', text)).toMatch(/^events\.yaml:9:\d+ {2}the file nests too deeply$/);
  });

  it('70 levels of block lists escaped as a raw YAMLException (exit 70)', async () => {
    expect(await checkAndBuild('block-nesting-70-levels.yaml')).toMatch(/^events\.yaml:\d+:\d+ {2}the file nests too deeply$/);
  });
});
