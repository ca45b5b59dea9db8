// `chronicle check` and `chronicle schema` as users run them: exit codes, output streams, messages.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateEventsFile } from '../../bench/generate-events.js';
import { renderEventsJsonSchema } from '../../src/commands/schema.js';
import { eventsFile, ROOT, run, runBinary, tempDir } from '../helpers.js';

describe('chronicle check', () => {
  it('accepts the seed events file', () => {
    const result = runBinary(['check', 'events.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^events\.yaml: \d+ events, no problems\n$/);
  });

  it('defaults to ./events.yaml', async () => {
    const result = await run(['check'], tempDir({ 'events.yaml': eventsFile() }));
    expect(result).toMatchObject({ code: 0, stdout: 'events.yaml: 2 events, no problems\n' });
  });

  it('prints every problem, a code frame and a summary, and exits 1', async () => {
    const dir = tempDir({ 'bad.yaml': eventsFile().replace('2025-01-20', '2025-02-30').replace('title: OpenAI', 'titel: OpenAI') });
    const result = await run(['check', 'bad.yaml'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('bad.yaml:11:11  events[0].date  "2025-02-30" is not a date');
    expect(result.stdout).toContain('bad.yaml:19:5  events[1].titel  unknown key "titel" in an event');
    expect(result.stdout).toContain('  > 11 |     date: 2025-02-30\n       |           ^');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('bad.yaml: 3 errors');
  });

  it('prints the problems as JSON for scripts with --json', async () => {
    const dir = tempDir({ 'events.yaml': eventsFile().replace('2025-01-20', '2025-13') });
    const result = await run(['check', '--json'], dir);
    expect(result.code).toBe(1);
    const problems = JSON.parse(result.stdout);
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'invalid-date',
        file: 'events.yaml',
        line: 11,
        column: 11,
        path: 'events[0].date',
      }),
    ]);
  });

  it('passes with warnings, and fails on them with --strict', async () => {
    const dir = tempDir({ 'events.yaml': eventsFile().replace('    sources:\n      - { publisher: DeepSeek }\n', '') });
    const relaxed = await run(['check'], dir);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toContain('warning: "r1" has no sources');
    expect(relaxed.stdout).toContain('events.yaml: 2 events, 1 warning');
    expect((await run(['check', '--strict'], dir)).code).toBe(1);
  });

  it('judges upcoming events by --now', async () => {
    const dir = tempDir({ 'events.yaml': eventsFile() });
    const result = await run(['check', '--now', '2024-12-31'], dir);
    expect(result.stdout).toContain('a happened event is dated 2025-01-20, after now (2024-12-31)');
  });

  it('refuses a --now that is not a day with exit 2', async () => {
    const result = await run(['check', '--now', 'tomorrow'], tempDir({ 'events.yaml': eventsFile() }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--now "tomorrow" is not a day');
  });

  it('exits 2 on an unknown flag', () => {
    const result = runBinary(['check', '--strcit']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--strcit'");
    expect(result.stderr).toContain('(Did you mean --strict?)');
  });

  it('explains a file that does not exist, without a stack trace', () => {
    const result = runBinary(['check', 'nope.yaml'], { cwd: tempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('chronicle: cannot read nope.yaml: the file does not exist');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('explains a path that cannot be read as a file', () => {
    const dir = tempDir();
    const result = runBinary(['check', '.'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('it is a folder');
  });

  it('rejects bytes that are not UTF-8 and names the line', () => {
    const latin1 = Buffer.concat([Buffer.from('title: Caf'), Buffer.from([0xe9]), Buffer.from('\nevents: []\n')]);
    const result = runBinary(['check', 'latin1.yaml'], { cwd: tempDir({ 'latin1.yaml': latin1 }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 1 has bytes that are not UTF-8 (byte 11 of the file)');
    expect(result.stderr).toContain('save the file as UTF-8');
  });

  // The same at 50 MB (7-digit lines) is timed by bench/big-file.js, outside npm test.
  it('reports a problem at the end of a big file with its line, without a crash', () => {
    const text = generateEventsFile({ events: 1_000 });
    const broken = `${text}  - id: broken\n    date: 2025-02-30\n    title: Broken\n    sources: [{ publisher: P }]\n`;
    const dir = tempDir({ 'big.yaml': broken });
    const result = runBinary(['check', 'big.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    const line = broken.split('\n').length - 3;
    expect(result.stdout).toMatch(new RegExp(`big\\.yaml:${line}:11 {2}events\\[1000\\]\\.date {2}"2025-02-30" is not a date`));
    expect(result.stdout).toMatch(/big\.yaml: 1 error\n$/);
  });
});

describe('the check cache', () => {
  it('reuses the result of the same bytes, and checks changed bytes again', async () => {
    const dir = tempDir({ 'events.yaml': eventsFile() });
    const cache = join(dir, 'cache');
    const env = { CHRONICLE_CACHE_DIR: cache };
    expect((await run(['check'], dir, env)).stdout).toBe('events.yaml: 2 events, no problems\n');
    const [entry] = readdirSync(cache);
    // Prove the second run reads the entry: doctor it and see its answer come back.
    writeFileSync(join(cache, entry!), JSON.stringify({ problems: [], eventCount: 99 }));
    expect((await run(['check'], dir, env)).stdout).toBe('events.yaml: 99 events, no problems\n');
    expect((await run(['check', '--no-cache'], dir, env)).stdout).toBe('events.yaml: 2 events, no problems\n');
    writeFileSync(join(dir, 'events.yaml'), eventsFile().replace('2025-01-20', '2025-02-30'));
    expect((await run(['check'], dir, env)).code).toBe(1);
  });

  it('keys the result on --now, which changes the warnings', async () => {
    const dir = tempDir({ 'events.yaml': eventsFile() });
    const env = { CHRONICLE_CACHE_DIR: join(dir, 'cache') };
    expect((await run(['check'], dir, env)).stdout).not.toContain('warning');
    expect((await run(['check', '--now', '2024-12-31'], dir, env)).stdout).toContain('warning');
  });

  it('still checks when the cache folder cannot be written', async () => {
    const dir = tempDir({ 'events.yaml': eventsFile(), blocker: 'a file where the cache folder should be' });
    const result = await run(['check'], dir, { CHRONICLE_CACHE_DIR: join(dir, 'blocker', 'cache') });
    expect(result).toMatchObject({ code: 0, stdout: 'events.yaml: 2 events, no problems\n' });
  });
});

describe('chronicle schema', () => {
  it('prints the JSON Schema, and events.schema.json is not stale', () => {
    const committed = readFileSync(join(ROOT, 'events.schema.json'), 'utf8');
    expect(renderEventsJsonSchema()).toBe(committed);
    const result = runBinary(['schema']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(committed);
  });
});

describe('start-up cost', () => {
  it.each([[['--help']], [['add', '--help']], [['check', '--help']]])(
    '`chronicle %s` loads no YAML, schema, mail or page library',
    (argv) => {
      const trace = join(tempDir(), 'imports.txt');
      writeFileSync(trace, '');
      const result = runBinary(argv, {
        // ES modules and require() alike: the bundled CLI (dist/chronicle.cjs) requires its libraries.
        env: {
          TRACE_IMPORTS_FILE: trace,
          NODE_OPTIONS: `--require ${join(ROOT, 'tests/support/trace-requires.cjs')} --import ${join(ROOT, 'tests/support/trace-imports.mjs')}`,
        },
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Usage: chronicle/);
      const loaded = readFileSync(trace, 'utf8');
      expect(loaded).toContain('/dist/bin.cjs');
      for (const heavy of ['/js-yaml/', '/zod/', '/yaml/', '/mjml', '/handlebars/', '/dayjs/', '/proper-lockfile/', '/@inquirer/'])
        expect(loaded).not.toContain(heavy);
    },
  );
});
