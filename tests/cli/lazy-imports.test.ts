// Start-up pays only for what a command uses: building a valid file loads neither zod (a hand-written
// shape check vouches for it) nor js-yaml (the fast reader resolves its scalars); a file with an error
// loads zod to describe it. The trace covers ES modules and CommonJS (createRequire) alike, and so the
// bundled CLI (dist/chronicle.cjs), which still loads each library by its name when first used.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsFile, MINIMAL_EVENTS, ROOT, runBinary, tempDir } from '../helpers.js';

const SEED = readFileSync(join(ROOT, 'events.yaml'), 'utf8');
const IMPORTS = join(ROOT, 'tests/support/trace-imports.mjs');
const REQUIRES = join(ROOT, 'tests/support/trace-requires.cjs');

function traced(dir: string, argv: string[], env: Record<string, string> = { CHRONICLE_CACHE: 'off' }) {
  const trace = join(dir, `modules-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(trace, '');
  const result = runBinary(argv, {
    cwd: dir,
    env: { ...env, TRACE_IMPORTS_FILE: trace, NODE_OPTIONS: `--require ${REQUIRES} --import ${IMPORTS}` },
  });
  const modules = readFileSync(trace, 'utf8');
  return {
    code: result.code,
    zod: modules.includes('/node_modules/zod/'),
    jsYaml: modules.includes('/node_modules/js-yaml/'),
    handlebars: modules.includes('/node_modules/handlebars/'),
    ical: modules.includes('/node_modules/ical-generator/'),
    // dist/bin.cjs runs the bundle (dist/chronicle.cjs): our modules are not imported one by one.
    bundled: !modules.includes('/dist/cli.js') && modules.includes('/dist/code-cache.cjs'),
  };
}

describe('lazy imports', () => {
  it('a build or a rebuild of a valid file loads neither zod nor js-yaml nor Handlebars', { timeout: 120_000 }, () => {
    // Handlebars: the built-in templates ship compiled to JavaScript (src/render/compile.ts).
    const none = { code: 0, zod: false, jsYaml: false, handlebars: false, ical: false, bundled: true };
    const dir = tempDir({ 'events.yaml': SEED });
    expect(traced(dir, ['build', '--no-newsletter', '--quiet'])).toEqual(none);
    const warm = { CHRONICLE_CACHE_DIR: join(dir, 'cache') };
    traced(dir, ['build', '--no-newsletter', '--quiet'], warm);
    expect(traced(dir, ['build', '--no-newsletter', '--quiet'], warm)).toEqual(none);
  });

  it('a build loads the iCalendar writer only for a calendar with an event in it', { timeout: 120_000 }, () => {
    // The seed has no dated upcoming event (above: no calendar, no ical-generator); this file has one.
    const upcoming = `${MINIMAL_EVENTS}  - id: launch\n    date: 2025-03-01\n    title: The launch\n    status: upcoming\n    sources:\n      - { publisher: OpenAI }\n`;
    const dir = tempDir({ 'events.yaml': eventsFile(upcoming) });
    expect(traced(dir, ['build', '--no-newsletter', '--quiet'])).toMatchObject({ code: 0, ical: true });
    expect(readFileSync(join(dir, 'out', 'upcoming.ics'), 'utf8')).toContain('BEGIN:VEVENT');
  });

  it('a build with a template of the user loads Handlebars to parse it', { timeout: 120_000 }, () => {
    const dir = tempDir({ 'events.yaml': SEED });
    mkdirSync(join(dir, 'mine/timeline/partials'), { recursive: true });
    writeFileSync(join(dir, 'mine/timeline/partials/badges.hbs'), '<b>{{#each badges}}{{text}}{{/each}}</b>');
    expect(traced(dir, ['build', '--no-newsletter', '--quiet', '--templates', 'mine']).handlebars).toBe(true);
  });

  it('a file with a mistake loads zod and js-yaml to describe and locate it', { timeout: 120_000 }, () => {
    const dir = tempDir({ 'events.yaml': SEED.replace(/^ {4}title: .*$/m, '    titel: typo') });
    expect(traced(dir, ['check'])).toMatchObject({ code: 1, zod: true, jsYaml: true });
  });
});
