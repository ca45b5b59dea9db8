// `chronicle unsubscribe TOKEN|ADDRESS... [--recipients FILE] [--from FILE] [--suppressions FILE] [--events FILE]`
// Adds readers to the suppression list. A token (from an unsubscribe link, or what the endpoint
// collected) is verified with CHRONICLE_SECRET and resolved to its address through the recipients list.
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { chronicleError, EXIT } from '../errors.js';
import type { Timeline } from '../events/model.js';
import type { CommandIO } from './io.js';

export interface UnsubscribeCommandOptions {
  values: string[];
  recipients?: string;
  from?: string;
  suppressions?: string;
  events?: string;
  reason?: string;
  now?: string;
  quiet?: boolean;
}

export async function unsubscribe(options: UnsubscribeCommandOptions, io: CommandIO): Promise<number> {
  const values = [...options.values];
  if (options.from) values.push(...(await readLines(resolve(io.cwd, options.from), options.from)));
  if (values.length === 0) throw chronicleError('unsubscribe-nothing', {});
  const { normaliseAddress, readRecipients } = await import('../newsletter/recipients.js');
  const { resolveUnsubscribeToken, tokenOf } = await import('../unsubscribe/token.js');
  const tokens = values.map((v) => ({ value: v, token: tokenOf(v) }));
  let byToken: ((token: string) => string | undefined) | undefined;
  if (tokens.some((t) => t.token !== undefined)) {
    if (!options.recipients) throw chronicleError('token-needs-recipients', {});
    const { checkSecret } = await import('../newsletter/site.js');
    const secret = checkSecret(io.env.CHRONICLE_SECRET);
    const { recipients } = await readRecipients(resolve(io.cwd, options.recipients), options.recipients);
    byToken = resolveUnsubscribeToken(
      recipients.map((r) => r.email),
      secret,
    );
  }
  const now = options.now ?? new Date().toISOString().slice(0, 10);
  const entries: { email: string; reason: string; date: string }[] = [];
  let failures = 0;
  for (const { value, token } of tokens) {
    let email: string | undefined;
    if (token !== undefined) {
      email = byToken?.(token);
      if (!email) {
        io.stderr(`chronicle: ${shorten(value)} is not the token of anyone on ${options.recipients}; skipped\n`);
        failures++;
        continue;
      }
    } else {
      const address = normaliseAddress(value);
      if ('error' in address) {
        io.stderr(`chronicle: ${address.error}; skipped\n`);
        failures++;
        continue;
      }
      email = address.email;
    }
    entries.push({ email, reason: options.reason ?? 'unsubscribed', date: now });
  }
  const path = await suppressionsPath(options, io, now);
  const { addSuppressions } = await import('../newsletter/suppressions.js');
  const added = await addSuppressions(path, entries);
  const where = relative(io.cwd, path) || path;
  if (!options.quiet) {
    const addedSet = new Set(added.map((e) => e.email.toLowerCase()));
    for (const entry of entries)
      io.stdout(
        addedSet.has(entry.email.toLowerCase()) ? `unsubscribed ${entry.email}\n` : `${entry.email} was already on the suppression list\n`,
      );
    io.stdout(`${added.length} added to ${where}\n`);
  }
  return failures > 0 ? EXIT.failure : EXIT.ok;
}

async function suppressionsPath(options: UnsubscribeCommandOptions, io: CommandIO, now: string): Promise<string> {
  if (options.suppressions) return resolve(io.cwd, options.suppressions);
  const file = options.events ?? 'events.yaml';
  const { loadEventsFile } = await import('../io/load-events-file.js');
  const loaded = await loadEventsFile(file, { cwd: io.cwd, now });
  if (!loaded.timeline) throw chronicleError('newsletter-settings-unreadable', { file });
  const { suppressionsPathOf } = await import('../newsletter/suppressions.js');
  return suppressionsPathOf(loaded.timeline as Timeline, file, undefined, io.cwd);
}

async function readLines(path: string, name: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8'))
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
  } catch (error) {
    throw chronicleError('file-unreadable', { file: name, reason: (error as Error).message }, { cause: error });
  }
}

function shorten(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}
