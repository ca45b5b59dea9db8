// deliverIssue writes several .eml files at once when nothing is sent (issue 12 item 7). These pin down
// what writing one at a time gave for free: the files are the messages, byte for byte; a list that
// repeats an address still ends with its last row's message; a failed write fails the run (no
// unhandled rejection, nothing left writing after it returns).
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTimeline } from '../../src/events/load.js';
import { deliverIssue, fileNameOf } from '../../src/newsletter/deliver.js';
import { compileMessageTemplate } from '../../src/newsletter/mime.js';
import type { Recipient } from '../../src/newsletter/recipients.js';
import { buildIssueFiles, personalUnsubscribeUrl } from '../../src/newsletter/site.js';
import { issueWindow } from '../../src/newsletter/window.js';
import { ROOT, tempDir } from '../helpers.js';

const SECRET = 'test-secret-of-at-least-thirty-two-bytes';

async function setup() {
  const timeline = loadTimeline(readFileSync(join(ROOT, 'events.yaml'), 'utf8')).timeline!;
  const issue = (await buildIssueFiles(timeline, {
    window: issueWindow(timeline.now, {}),
    locale: 'en',
    secret: SECRET,
    ...(timeline.baseUrl ? { baseUrl: timeline.baseUrl } : {}),
  }))!;
  const deliver = (folder: string, recipients: Recipient[]) =>
    deliverIssue({
      timeline,
      compiled: issue.compiled,
      issueId: issue.id,
      folder,
      recipients,
      suppressions: new Map(),
      suppressionsPath: join(folder, '..', 'suppressions.csv'),
      secret: SECRET,
    });
  return { timeline, issue, deliver };
}

const reader = (email: string, name: string, line: number): Recipient => ({ email, name, fields: { email, name }, line });

describe('writing .eml files several at a time', () => {
  it('writes each message exactly as the message template fills it', async () => {
    const { timeline, issue, deliver } = await setup();
    const recipients = Array.from({ length: 60 }, (_, i) => reader(`r${i}@example.org`, i % 3 ? `Reader ${'é'.repeat(i)}` : '', i + 2));
    const folder = join(tempDir(), 'issue');
    const report = await deliver(folder, recipients);
    expect(report.written).toBe(60);
    const unsubscribe = timeline.newsletter.unsubscribeUrl;
    const from = timeline.newsletter.from ?? `${issue.compiled.view.name} <newsletter@chronicle.invalid>`;
    const template = await compileMessageTemplate({
      from,
      ...(timeline.newsletter.replyTo ? { replyTo: timeline.newsletter.replyTo } : {}),
      subject: issue.compiled.view.subject,
      date: timeline.now,
      issueId: issue.id,
      listName: issue.compiled.view.name,
      hasUnsubscribe: Boolean(unsubscribe),
      unsubscribeMailbox: timeline.newsletter.replyTo ?? from,
    });
    for (const r of recipients) {
      const url = (unsubscribe && personalUnsubscribeUrl(unsubscribe, r.email, SECRET)) || '';
      const expected = template.fill({
        to: r.name ? `"${r.name}" <${r.email}>` : r.email,
        ...issue.compiled.render({ recipient: { ...r.fields, name: r.name, email: r.email }, unsubscribe_url: url }),
        ...(url ? { unsubscribeUrl: url } : {}),
      });
      expect(readFileSync(join(folder, `${fileNameOf(r.email)}.eml`)).equals(expected)).toBe(true);
    }
  });

  it('ends with the last row when a list repeats an address', async () => {
    const { deliver } = await setup();
    const folder = join(tempDir(), 'issue');
    // Ten rows for one file, among others: the last row's message is the file, as when written one by one.
    const recipients = Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0 ? reader(i % 2 ? 'Same@Example.org' : 'same@example.org', `Row ${i}`, i + 2) : reader(`r${i}@example.org`, 'R', i + 2),
    );
    await deliver(folder, recipients);
    const message = readFileSync(join(folder, 'same@example.org.eml'), 'utf8');
    expect(message).toContain('\r\nTo: Row 27 <Same@example.org>\r\n');
  });

  it('fails the run when a file cannot be written, after every other write has settled', async () => {
    const { deliver } = await setup();
    const folder = join(tempDir(), 'issue');
    // A folder where one message should go: opening it for writing fails.
    mkdirSync(join(folder, 'r5@example.org.eml'), { recursive: true });
    const recipients = Array.from({ length: 20 }, (_, i) => reader(`r${i}@example.org`, 'R', i + 2));
    await expect(deliver(folder, recipients)).rejects.toMatchObject({ code: 'EISDIR' });
    // Nothing is still being written once it has failed: every file there is whole, and stays as it is.
    const after = readdirSync(folder).sort();
    const contents = after.filter((f) => f !== 'r5@example.org.eml').map((f) => readFileSync(join(folder, f), 'utf8'));
    for (const content of contents) expect(content).toMatch(/--_NmP-[0-9a-f]+-Part_1--\r\n$/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readdirSync(folder).sort()).toEqual(after);
    expect(after.length).toBeLessThan(21);
  });
});
