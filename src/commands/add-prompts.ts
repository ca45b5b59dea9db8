// Prompts for `chronicle add` on a terminal: ask for what is missing, checking each answer as it is
// typed with the same rules as the file (a real date, one line, an http(s) link).
import { input } from '@inquirer/prompts';
import { parseEventDate } from '../events/dates.js';

export interface PromptStreams {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

export async function promptForEvent(
  missing: string[],
  event: Record<string, unknown>,
  streams: PromptStreams = {},
): Promise<Record<string, unknown>> {
  const context = { ...(streams.input ? { input: streams.input } : {}), ...(streams.output ? { output: streams.output } : {}) };
  const out = { ...event };
  if (missing.includes('date')) {
    out.date = await input(
      {
        message: 'Date (YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Qn):',
        validate: (value) => {
          const parsed = parseEventDate(value.trim());
          return parsed.ok ? true : `${parsed.message}: ${parsed.hint}`;
        },
      },
      context,
    ).then((v) => v.trim());
  }
  if (missing.includes('title')) {
    out.title = await input(
      {
        message: 'Title:',
        validate: (value) => (value.trim() === '' ? 'a title is needed' : /[\r\n]/.test(value) ? 'one line only' : true),
      },
      context,
    ).then((v) => v.trim());
  }
  if (out.summary === undefined) {
    const summary = (await input({ message: 'Summary (optional):' }, context)).trim();
    if (summary) out.summary = summary;
  }
  if (out.sources === undefined) {
    const url = (
      await input(
        {
          message: 'Source URL (optional):',
          validate: (value) => value.trim() === '' || /^https?:\/\/\S+$/i.test(value.trim()) || 'an http or https link',
        },
        context,
      )
    ).trim();
    if (url) out.sources = [{ url }];
  }
  return out;
}
