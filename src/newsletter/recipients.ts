// Subscribers from a CSV file (header row; `email` required, `name` optional, other columns given to
// templates as recipient.*), read as a stream so a list of any length costs the same memory.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { UserError } from '../errors.js';

export interface Recipient {
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

/** Valid, distinct recipients in file order; what is skipped is told to `notice` with its line. */
export async function* readRecipients(path: string, name: string, notice: (n: RecipientNotice) => void): AsyncGenerator<Recipient> {
  const seen = new Set<string>();
  let previousEnd = 1;
  const parser = createReadStream(path).pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      info: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const line = previousEnd + 1;
      previousEnd = info.lines;
      if (!('email' in record))
        throw new UserError(`${name} has no "email" column`, {
          hint: 'the first row names the columns, e.g.\nemail,name\nada@example.org,Ada Lovelace',
        });
      const email = (record.email ?? '').trim();
      const display = (record.name ?? '').trim();
      if (!ADDRESS.test(email)) {
        notice({ line, message: `"${email}" is not an email address; skipped` });
        continue;
      }
      if (/[\r\n]/.test(display)) {
        notice({ line, message: `the name of ${email} contains a line break, which would go into a mail header; skipped` });
        continue;
      }
      const key = email.toLowerCase();
      if (seen.has(key)) {
        notice({ line, message: `${email} is listed twice; sent once` });
        continue;
      }
      seen.add(key);
      yield { email, name: display, fields: record, line };
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`cannot read ${name}: the file does not exist`, { cause: error });
    throw new UserError(`${name} is not a CSV file chronicle can read: ${(error as Error).message}`, { cause: error });
  }
}
