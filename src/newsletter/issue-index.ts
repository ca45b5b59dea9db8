// `newsletter/issues.json` in the output folder: what the archive remembers of each issue written
// (subject, period), so the archive lists earlier issues by subject, not by file name.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface IssueEntry {
  id: string;
  subject: string;
  periodText: string;
  since: string;
  until: string;
}

export const ISSUE_INDEX = 'newsletter/issues.json';

/** The entries of `issues.json` in an output folder; an absent or damaged index is empty (the issue
 * files on disk still list the issues). */
export async function readIssueIndex(outDir: string): Promise<IssueEntry[]> {
  try {
    const parsed = JSON.parse(await readFile(join(outDir, ISSUE_INDEX), 'utf8')) as { issues?: unknown };
    if (!Array.isArray(parsed.issues)) return [];
    return parsed.issues.filter(
      (e): e is IssueEntry =>
        Boolean(e) && ['id', 'subject', 'periodText', 'since', 'until'].every((k) => typeof (e as Record<string, unknown>)[k] === 'string'),
    );
  } catch {
    return [];
  }
}
