// The suppression list: addresses that get no more mail (unsubscribed, bounced), one CSV row each
// with the reason and the date, so a person can read and edit it. Every newsletter run honours it.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { chronicleError } from '../errors.js';
import type { Timeline } from '../events/model.js';

export interface Suppression {
  email: string;
  reason: string;
  date: string;
}

const HEADER = 'email,reason,date\n';

/** The suppressed addresses, lowercased; an absent file is an empty list. */
export async function readSuppressions(path: string, name = path): Promise<Map<string, Suppression>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw chronicleError('suppressions-unreadable', { file: name, reason: (error as Error).message }, { cause: error });
  }
  let rows: Record<string, string>[];
  try {
    rows = parse(text, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw chronicleError('suppressions-not-csv', { file: name, reason: (error as Error).message }, { cause: error });
  }
  const list = new Map<string, Suppression>();
  for (const row of rows) {
    const email = (row.email ?? '').trim();
    if (email) list.set(email.toLowerCase(), { email, reason: row.reason ?? '', date: row.date ?? '' });
  }
  return list;
}

/** Appends addresses (not already there) to the list, creating it with its header. */
export async function addSuppressions(path: string, entries: Suppression[], known?: Map<string, Suppression>): Promise<Suppression[]> {
  const current = known ?? (await readSuppressions(path));
  const added: Suppression[] = [];
  for (const entry of entries) {
    const key = entry.email.toLowerCase();
    if (current.has(key)) continue;
    current.set(key, entry);
    added.push(entry);
  }
  if (added.length === 0) return added;
  const before = await readFile(path, 'utf8').catch(() => '');
  if (!before) await mkdir(dirname(path), { recursive: true });
  const rows = added.map((e) => [e.email, e.reason, e.date].map(csvField).join(',')).join('\n');
  const lead = !before ? HEADER : before.endsWith('\n') ? '' : '\n';
  await appendFile(path, `${lead}${rows}\n`);
  return added;
}

function csvField(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ').trim();
  return /[",]/.test(flat) || flat !== value.trim() ? `"${flat.replaceAll('"', '""')}"` : flat;
}

/** `--suppressions` (from the working folder) ▸ newsletter.suppressions (from the events file) ▸ suppressions.csv beside it. */
export function suppressionsPathOf(timeline: Timeline, file: string, flag: string | undefined, cwd: string): string {
  if (flag) return resolve(cwd, flag);
  return resolve(dirname(resolve(cwd, file)), timeline.newsletter.suppressions ?? 'suppressions.csv');
}
