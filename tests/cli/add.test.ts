// `chronicle add` as users and scripts run it: every refusal leaves the file exactly as it was.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { generateEventsFile } from '../../bench/generate-events.js';
import { promptForEvent } from '../../src/commands/add-prompts.js';
import { loadTimeline } from '../../src/events/load.js';
import { BIN, eventsFile, run, runBinary, tempDir } from '../helpers.js';

const NVIDIA = [
  '--date',
  '2025-01-27',
  '--title',
  'Nvidia shares fall',
  '--actor',
  'deepseek',
  '--tag',
  'models',
  '--source',
  'https://example.org/nvidia',
];

function setup(text = eventsFile()) {
  const dir = tempDir({ 'events.yaml': text });
  const path = join(dir, 'events.yaml');
  return { dir, path, read: () => readFileSync(path, 'utf8'), original: text };
}

describe('chronicle add', () => {
  it('adds an event from flags that the loader reads back with every field', async () => {
    const { dir, read } = setup();
    const result = await run(
      [
        'add',
        ...NVIDIA,
        '--summary',
        'Down *17%*.',
        '--importance',
        '1',
        '--related',
        'r1',
        '--source-publisher',
        'Reuters',
        '--now',
        '2025-01-31',
      ],
      dir,
    );
    expect(result.code).toBe(0);
    // The helper file lists r1 before o1, out of date order: the event goes at the end, with a warning.
    expect(result.stderr).toBe('chronicle: warning: events.yaml is not in date order, so the new event went at the end\n');
    expect(result.stdout).toBe('added 2025-01-27-nvidia-shares-fall to events.yaml at line 23\nevents.yaml: 3 events, no problems\n');
    const event = loadTimeline(read()).timeline?.events.find((e) => e.id === '2025-01-27-nvidia-shares-fall');
    expect(event).toMatchObject({
      title: 'Nvidia shares fall',
      summary: 'Down *17%*.',
      actors: ['deepseek'],
      tags: ['models'],
      importance: 1,
      related: ['r1'],
      sources: [{ url: 'https://example.org/nvidia', publisher: 'Reuters' }],
      added: '2025-01-31',
    });
  });

  it('prints the added event as JSON with --json', async () => {
    const { dir } = setup();
    const result = await run(['add', ...NVIDIA, '--json'], dir);
    expect(JSON.parse(result.stdout)).toMatchObject({ id: '2025-01-27-nvidia-shares-fall', date: '2025-01-27', added: '2025-01-31' });
  });

  it('reads one event as JSON from stdin', () => {
    const { dir, read } = setup();
    const result = runBinary(['add', '--json', '-'], {
      cwd: dir,
      input: JSON.stringify({ date: '2025-01-28', title: 'From a script', actors: ['openai'] }),
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ id: '2025-01-28-from-a-script' });
    expect(read()).toContain('  - id: 2025-01-28-from-a-script\n    date: 2025-01-28\n    title: From a script\n    actors: [openai]\n');
  });

  it('adds a list of events from a JSON file all together, or none of them', async () => {
    const { dir, read, original } = setup();
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify([
        { date: '2025-01-02', title: 'Good' },
        { date: '2025-02-30', title: 'Bad date' },
      ]),
    );
    const bad = await run(['add', '--json', 'bad.json'], dir);
    expect(bad.code).toBe(1);
    // From JSON there is no flag to name; the field is enough.
    expect(bad.stderr).toContain('2025-02-30-bad-date  date: "2025-02-30" is not a date');
    expect(read()).toBe(original);
    writeFileSync(
      join(dir, 'good.json'),
      JSON.stringify([
        { date: '2025-01-02', title: 'One' },
        { date: '2025-01-03', title: 'Two' },
      ]),
    );
    expect((await run(['add', '--json', 'good.json'], dir)).code).toBe(0);
    expect(loadTimeline(read()).timeline?.events).toHaveLength(4);
  });

  it('without a terminal, names the missing fields and exits 2', async () => {
    const { dir, read, original } = setup();
    const result = await run(['add', '--summary', 'no title, no date'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing --title and --date');
    expect(read()).toBe(original);
  });

  it('prints a unified diff with --dry-run and writes nothing', async () => {
    const { dir, read, original } = setup();
    const result = await run(['add', ...NVIDIA, '--dry-run'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--- events.yaml\tbefore\n+++ events.yaml\tafter\n');
    expect(result.stdout).toContain('+  - id: 2025-01-27-nvidia-shares-fall\n');
    expect(read()).toBe(original);
  });

  it('keeps CRLF line endings and adds to an empty list', async () => {
    const crlf = setup(eventsFile().replace(/\n/g, '\r\n'));
    expect((await run(['add', ...NVIDIA], crlf.dir)).code).toBe(0);
    expect(crlf.read().replace(/\r\n/g, '')).not.toContain('\n');
    const empty = setup('title: Empty\nevents: []\n');
    // A fixed --now: the wall-clock date would break this test across midnight.
    expect((await run(['add', '--date', '2025-01-01', '--title', 'First', '--now', '2025-03-04'], empty.dir)).code).toBe(0);
    expect(empty.read()).toBe(
      'title: Empty\nevents:\n  - id: 2025-01-01-first\n    date: 2025-01-01\n    title: First\n    added: 2025-03-04\n',
    );
  });
});

describe('chronicle add refuses, and leaves the file as it was', () => {
  // A flag with a value the file cannot take is a usage error (exit 2), named by its flag; a
  // duplicate of an event already there is about the data (exit 1).
  it.each([
    ['the same id', ['--id', 'r1', '--date', '2025-01-29', '--title', 'Another'], /the id "r1" is already used/],
    [
      'the same date and title up to case and punctuation',
      ['--date', '2025-01-20', '--title', 'deepseek releases R1!'],
      /looks like "r1", already in events\.yaml/,
    ],
    [
      'an unknown actor, naming the registry entry to add',
      ['--date', '2025-01-29', '--title', 'X', '--actor', 'nvidia'],
      /no entity has the key "nvidia"[\s\S]*nvidia: \{ name: \.\.\., kind: organization \}/,
    ],
    ['an unknown tag', ['--date', '2025-01-29', '--title', 'X', '--tag', 'markets'], /no tag has the key "markets"/],
    ['a date that does not exist', ['--date', '2025-02-30', '--title', 'X'], /"2025-02-30" is not a date[\s\S]*February 2025 has 28 days/],
    ['a title with a line break', ['--date', '2025-01-29', '--title', 'X\nBcc: y'], /title must be one line/],
    [
      'a javascript: link',
      ['--date', '2025-01-29', '--title', 'X', '--source', 'javascript:alert(1)'],
      /only http and https links are allowed/,
    ],
  ])('%s', async (name, argv, message) => {
    const { dir, read, original } = setup();
    const result = await run(['add', ...(argv as string[])], dir);
    expect(result.code).toBe(name.startsWith('the same date') ? 1 : 2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toMatch(message as RegExp);
    expect(read()).toBe(original);
  });

  it('accepts a near duplicate with --force', async () => {
    const { dir } = setup();
    const result = await run(['add', '--id', 'r1-again', '--date', '2025-01-20', '--title', 'DeepSeek releases R1', '--force'], dir);
    expect(result.code).toBe(0);
  });

  it('a file that has problems of its own', async () => {
    const { dir, read, original } = setup(eventsFile().replace('2025-01-20', '2025-02-30'));
    const result = await run(['add', ...NVIDIA], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('events.yaml has problems, so nothing was added; fix them first');
    expect(result.stderr).toContain('events.yaml:11:11  events[0].date  "2025-02-30" is not a date');
    expect(read()).toBe(original);
  });

  it('a read-only file', async () => {
    const { dir, path, read, original } = setup();
    chmodSync(path, 0o444);
    const result = await run(['add', ...NVIDIA], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('events.yaml is read-only, so nothing was added');
    expect(read()).toBe(original);
  });

  it('a lock that another process holds past the timeout', async () => {
    const { dir, path, read, original } = setup();
    mkdirSync(`${path}.lock`); // fresh: not stale
    const result = await run(['add', ...NVIDIA, '--lock-timeout', '0.3'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('events.yaml is locked by another chronicle process');
    expect(read()).toBe(original);
  });

  it('bad flag values exit 2 and name their flag (add --importance 5, --status happend)', async () => {
    const { dir, read, original } = setup();
    const importance = await run(['add', '--date', '2025-01-29', '--title', 'X', '--importance', '5'], dir);
    expect(importance.code).toBe(2);
    expect(importance.stderr).toContain('importance (--importance): 5 (a number) is not a valid importance');
    const status = await run(['add', '--date', '2025-01-29', '--title', 'X', '--status', 'happend'], dir);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('status (--status): "happend" is not a valid status');
    expect(status.stderr).toContain('hint: did you mean "happened"?');
    expect(read()).toBe(original);
  });

  it('a missing events file, named or not, or a dangling symlink: the message check gives, exit 1', async () => {
    const dir = tempDir();
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'link.yaml'));
    for (const argv of [[], ['named.yaml'], ['link.yaml']]) {
      const result = await run(['add', ...argv, '--date', '2025-01-29', '--title', 'X'], dir);
      const name = argv[0] ?? 'events.yaml';
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `chronicle: cannot read ${name}: the file does not exist\n  hint: give the path of your events file (chronicle check path/to/events.yaml), or run the command in the folder that holds events.yaml\n`,
      );
      const check = await run(['check', ...argv], dir);
      expect(check.stderr).toBe(result.stderr);
    }
  });

  it('a file written as a flow list', async () => {
    const { dir, read, original } = setup('title: Flow\nevents: [{ id: a, date: 2025-01-01, title: A, sources: [{ publisher: P }] }]\n');
    const result = await run(['add', '--date', '2025-01-02', '--title', 'B'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not written as a block list');
    expect(read()).toBe(original);
  });
});

describe('concurrent and interrupted appends', () => {
  it('lands all of 20 processes started at once', async () => {
    const { dir, read } = setup();
    const runs = Array.from(
      { length: 20 },
      (_, i) =>
        new Promise<number>((done) => {
          const child = spawn(
            process.execPath,
            [
              BIN,
              'add',
              '--date',
              `2025-01-${String(i + 1).padStart(2, '0')}`,
              '--title',
              `Concurrent ${i + 1}`,
              '--source-publisher',
              'Test',
            ],
            {
              cwd: dir,
              env: { ...process.env, CHRONICLE_CACHE: 'off' },
              stdio: 'ignore',
            },
          );
          child.on('exit', (code) => done(code ?? -1));
        }),
    );
    expect(await Promise.all(runs)).toEqual(Array(20).fill(0));
    const { timeline, problems } = loadTimeline(read());
    expect(problems).toEqual([]);
    expect(timeline?.events.filter((e) => e.title.startsWith('Concurrent'))).toHaveLength(20);
  }, 120_000);

  it('leaves the old file or the new one when killed at any moment, never a partial file', async () => {
    const { dir, path, read, original } = setup(generateEventsFile({ events: 3000, asOf: '2030-06-30' }));
    const add = (title: string) => {
      const child = spawn(process.execPath, [BIN, 'add', '--date', '2029-12-30', '--title', title, '--source-publisher', 'Test'], {
        cwd: dir,
        env: { ...process.env, CHRONICLE_CACHE: 'off' },
        stdio: 'ignore',
      });
      // Listen at once: a fast process may be gone before the kill.
      const exited = new Promise((r) => child.on('exit', r));
      return { child, exited };
    };
    // How long a whole add takes here, to kill at moments spread over it (and just after it).
    const started = Date.now();
    await add('Timing run').exited;
    const whole = Date.now() - started;
    const outcomes: string[] = [];
    for (const fraction of [0.1, 0.3, 0.5, 0.7, 0.85, 0.95, 1.05, 1.3]) {
      const before = read();
      const { child, exited } = add(`Killed at ${fraction}`);
      await new Promise((r) => setTimeout(r, Math.round(whole * fraction)));
      child.kill('SIGKILL');
      await exited;
      // The killed process may leave its lock behind; it would go stale in 10 s, remove it to go on.
      rmSync(`${path}.lock`, { recursive: true, force: true });
      const after = read();
      outcomes.push(`${fraction}: ${after === before ? 'old' : 'new'}`);
      if (after !== before) {
        // The new file: the old one plus exactly this event, complete and valid.
        expect(after.length).toBeGreaterThan(before.length);
        expect(after).toContain(`title: Killed at ${fraction}`);
        expect(loadTimeline(after).problems.filter((p) => p.severity === 'error')).toEqual([]);
        expect(loadTimeline(after).timeline?.events.length).toBe(loadTimeline(before).timeline!.events.length + 1);
      }
    }
    console.log(`a whole add took ${whole} ms; kill outcomes: ${outcomes.join(', ')}`);
    expect(outcomes.some((o) => o.endsWith('old'))).toBe(true);
    expect(read().length).toBeGreaterThan(original.length);
  }, 180_000);

  it('takes over a lock left by a crashed process once it is stale', async () => {
    const { dir, path, read } = setup();
    mkdirSync(`${path}.lock`);
    const past = new Date(Date.now() - 60_000);
    utimesSync(`${path}.lock`, past, past);
    const result = await run(['add', ...NVIDIA, '--lock-timeout', '2'], dir);
    expect(result.code).toBe(0);
    expect(read()).toContain('Nvidia shares fall');
  });
});

describe('prompts on a terminal', () => {
  it('asks for what is missing and checks each answer as it is typed', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (chunk) => {
      screen += String(chunk);
    });
    const answers = ['2025-02-30', '\b\b\b\b\b\b\b\b\b\b2025-01-27', 'Nvidia shares fall', '', 'https://example.org/n'];
    const typing = (async () => {
      for (const answer of answers) {
        await new Promise((r) => setTimeout(r, 60));
        input.write(`${answer}\r`);
      }
    })();
    const event = await promptForEvent(['date', 'title'], { actors: ['nvidia'] }, { input, output });
    await typing;
    expect(screen).toContain('"2025-02-30" is not a date');
    expect(event).toEqual({
      actors: ['nvidia'],
      date: '2025-01-27',
      title: 'Nvidia shares fall',
      sources: [{ url: 'https://example.org/n' }],
    });
  });
});
