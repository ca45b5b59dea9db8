// Shared test helpers: run the CLI in memory or as a real process, and make temporary folders.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../src/cli.js';
import type { CommandIO } from '../src/commands/io.js';
import { StoredEvent } from '../src/events/stored-event.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const BIN = join(ROOT, 'dist', 'bin.cjs');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process with an injected cwd and captured output. */
export async function run(
  argv: string[],
  cwd: string,
  env: Record<string, string | undefined> = { CHRONICLE_CACHE: 'off' },
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    cwd,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    color: false,
    interactive: false,
    env,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** Runs the built binary as a separate process, as a user would. */
export function runBinary(argv: string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): RunResult {
  const result = spawnSync(process.execPath, [BIN, ...argv], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CHRONICLE_CACHE: 'off', ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const madeTempDirs: string[] = [];

/** A new temporary folder holding the given files, removed when the test file ends (tests/cleanup.ts). */
export function tempDir(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-test-'));
  madeTempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Removes every folder tempDir made in this test file. */
export function removeTempDirs(): void {
  for (const dir of madeTempDirs.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
}

/** A small valid events file; `events` replaces the events list (YAML text, indented by 2). */
export function eventsFile(events = MINIMAL_EVENTS, head = ''): string {
  return `title: Test timeline
locale: en
as_of: 2025-01-31
${head}entities:
  deepseek: { name: DeepSeek, kind: organization }
  openai: { name: OpenAI, kind: organization }
tags:
  models: Model releases
events:
${events}`;
}

export const MINIMAL_EVENTS = `  - id: r1
    date: 2025-01-20
    title: DeepSeek releases R1
    actors: [deepseek]
    tags: [models]
    sources:
      - { publisher: DeepSeek }
  - id: o1
    date: 2024-12-05
    title: OpenAI releases o1
    actors: [openai]
    sources:
      - url: https://openai.com/
`;

/** A built output's text, to compare byte for byte: its string, its bytes (pictures, read as Latin-1
 * so that no byte is lost), or its parts (text or UTF-8 bytes) joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Buffer.isBuffer(content)) return content.toString('latin1');
  return [...(content as Iterable<string | Buffer>)].join('');
}

/** A load's result (or a timeline, or a list of either) with the events read from an item file
 * (StoredEvent, whose sources and summary are read lazily) turned into the plain events a load
 * without the cache builds, for toStrictEqual: the same fields, with the same values. */
export function asBuilt<T>(value: T): T {
  if (Array.isArray(value)) return value.map(asBuilt) as T;
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.events))
    return { ...record, events: record.events.map((event) => (event instanceof StoredEvent ? event.toJSON() : event)) } as T;
  if (record.timeline && typeof record.timeline === 'object') return { ...record, timeline: asBuilt(record.timeline) } as T;
  return value;
}

/** A generated event's date as the events file writes it, by shape (undefined: undated); a range
 * runs from the first day of its month to the second day of that month `rangeYears` years on. */
export function shapedDate(shape: string, year: number, month: number, day: number, rangeYears = 0): string | undefined {
  const pad = (n: number) => String(n).padStart(2, '0');
  if (shape === 'day') return `${year}-${pad(month)}-${pad(day)}`;
  if (shape === 'month') return `${year}-${pad(month)}`;
  if (shape === 'year') return `${year}`;
  if (shape === 'open') return `${year}-${pad(month)}/..`;
  if (shape === 'range') return `${year}-${pad(month)}-01/${year + rangeYears}-${pad(month)}-02`;
  return undefined;
}
