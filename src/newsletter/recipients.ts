// Subscribers from a CSV file (header row; `email` required, `name` optional, other columns given to
// templates as recipient.*). The whole list is read and checked before anything is written or sent:
// a syntax error on its last line stops the run with nothing done.
import { readFile } from 'node:fs/promises';
import { domainToASCII } from 'node:url';
import { parse } from 'csv-parse/sync';
import { chronicleError } from '../errors.js';

export interface Recipient {
  /** The address as it is sent to: the domain in punycode, no trailing dot. */
  email: string;
  name: string;
  /** Every column of the row, for templates (`recipient.company`, ...). */
  fields: Record<string, string>;
  line: number;
}

export interface RecipientNotice {
  line: number;
  message: string;
}

// Deliberately plain: a local part and a domain with a dot, nothing that could end a header.
const ADDRESS = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+\.[^\s@<>()[\]",;:\\]+$/;
// C0, DEL and C1 controls: never part of an address, and dangerous in a header or an SMTP command.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** An address as it can be sent to, or why it cannot. Pure. */
export function normaliseAddress(raw: string): { email: string } | { error: string } {
  const value = raw.trim();
  const control = CONTROL.exec(value);
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return { error: `${quote(value)} contains a control character (U+${code}), so it is not an email address` };
  }
  const at = value.lastIndexOf('@');
  if (at <= 0) return { error: `${JSON.stringify(value)} is not an email address` };
  const local = value.slice(0, at);
  // A trailing dot is the DNS root: `ada@example.org.` is `ada@example.org`.
  const domain = value.slice(at + 1).replace(/\.$/, '');
  if (/[^\u0020-\u007e]/.test(local))
    return {
      error: `${value} has a non-ASCII name before the @, which needs SMTPUTF8 from every server on the way; chronicle does not send such mail`,
    };
  const ascii = domainToASCII(domain);
  const email = `${local}@${ascii}`;
  if (!ascii || !ADDRESS.test(email)) return { error: `${JSON.stringify(value)} is not an email address` };
  return { email };
}

/** Valid, distinct recipients in file order; what is skipped is in `notices` with its line. */
export async function readRecipients(path: string, name: string): Promise<{ recipients: Recipient[]; notices: RecipientNotice[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw code === 'ENOENT'
      ? chronicleError('recipients-not-found', { file: name }, { cause: error })
      : chronicleError('recipients-unreadable', { file: name, reason: (error as Error).message }, { cause: error });
  }
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      info: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as typeof rows;
  } catch (error) {
    throw chronicleError('recipients-not-csv', { file: name, reason: (error as Error).message }, { cause: error });
  }
  const recipients: Recipient[] = [];
  const notices: RecipientNotice[] = [];
  const seen = new Set<string>();
  let previousEnd = 1;
  for (const { record, info } of rows) {
    const line = previousEnd + 1;
    previousEnd = info.lines;
    if (!('email' in record)) throw chronicleError('recipients-no-email-column', { file: name });
    const address = normaliseAddress(record.email ?? '');
    const display = (record.name ?? '').trim();
    if ('error' in address) {
      notices.push({ line, message: `${address.error}; skipped` });
      continue;
    }
    const { email } = address;
    if (CONTROL.test(display)) {
      notices.push({
        line,
        message: `the name of ${email} contains a line break or a control character, which would go into a mail header; skipped`,
      });
      continue;
    }
    const key = email.toLowerCase();
    if (seen.has(key)) {
      notices.push({ line, message: `${email} is listed twice; sent once` });
      continue;
    }
    seen.add(key);
    recipients.push({ email, name: display, fields: record, line });
  }
  return { recipients, notices };
}

/** A value in quotes with every control character visible (`\u0001`). */
function quote(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
