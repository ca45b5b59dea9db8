// `chronicle serve [file] [--port 4321] [--host 127.0.0.1] [--open] [--now DATE] [--templates DIR]`
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import { networkNotice } from '../serve/guard.js';
import type { CommandIO } from './io.js';
import { parseNowOption } from './options.js';

export interface ServeOptions {
  file?: string;
  port?: string;
  host?: string;
  open?: boolean;
  now?: string;
  templates?: string;
  quiet?: boolean;
  /** Mount the unsubscribe endpoint at /unsubscribe/, resolving tokens through this list. */
  recipients?: string;
  suppressions?: string;
  /** Resolves when the server should stop (Ctrl-C); injectable for tests. */
  until?: Promise<void>;
}

export async function serve(options: ServeOptions, io: CommandIO): Promise<number> {
  const port = Number(options.port ?? 4321);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${JSON.stringify(options.port)} is not a port number`);
  const now = parseNowOption(options.now);
  const { startPreview } = await import('../serve/preview.js');
  const preview = await startPreview({
    file: options.file ?? 'events.yaml',
    cwd: io.cwd,
    port,
    host: options.host ?? '127.0.0.1',
    ...(options.templates ? { templatesDir: resolve(io.cwd, options.templates) } : {}),
    ...(now ? { now } : {}),
    env: io.env,
    ...(options.quiet ? {} : { onLog: (line: string) => io.stderr(`${line}\n`) }),
    ...(options.recipients ? { unsubscribe: await unsubscribeEndpoint(options, io) } : {}),
  });
  io.stdout(`chronicle preview on ${preview.url} (Ctrl-C to stop)\n`);
  const notice = networkNotice(options.host ?? '127.0.0.1', Number(new URL(preview.url).port));
  if (notice && !options.quiet) io.stderr(`${notice}\n`);
  if (options.open) {
    const noBrowser = () => io.stderr(`chronicle: no browser could be opened here; open ${preview.url} yourself\n`);
    spawn(process.platform === 'darwin' ? 'open' : 'xdg-open', [preview.url], { stdio: 'ignore', detached: true })
      .on('error', noBrowser)
      .on('exit', (code) => code && noBrowser())
      .unref();
  }
  await (options.until ??
    new Promise<void>((stop) => {
      process.once('SIGINT', () => stop());
      process.once('SIGTERM', () => stop());
    }));
  await preview.close();
  return EXIT.ok;
}

/** The library's unsubscribe handler on the preview, storing into the suppression list. */
async function unsubscribeEndpoint(options: ServeOptions, io: CommandIO) {
  const { checkSecret } = await import('../newsletter/site.js');
  const secret = checkSecret(io.env.CHRONICLE_SECRET, '--recipients mounts the unsubscribe endpoint, but');
  const { readRecipients } = await import('../newsletter/recipients.js');
  const { addSuppressions, suppressionsPathOf } = await import('../newsletter/suppressions.js');
  const { createUnsubscribeHandler } = await import('../unsubscribe/handler.js');
  const { toNodeListener } = await import('../unsubscribe/node.js');
  const name = options.recipients!;
  const { recipients } = await readRecipients(resolve(io.cwd, name), name);
  const file = options.file ?? 'events.yaml';
  return toNodeListener(
    createUnsubscribeHandler({
      secret,
      recipients: recipients.map((r) => r.email),
      onUnsubscribe: async ({ address }) => {
        const { loadEventsFile } = await import('../io/load-events-file.js');
        const { timeline } = await loadEventsFile(file, { cwd: io.cwd });
        const path = timeline
          ? suppressionsPathOf(timeline, file, options.suppressions, io.cwd)
          : resolve(io.cwd, options.suppressions ?? 'suppressions.csv');
        await addSuppressions(path, [{ email: address, reason: 'unsubscribed', date: new Date().toISOString().slice(0, 10) }]);
        if (!options.quiet) io.stderr(`unsubscribed ${address}\n`);
      },
    }),
  );
}
