// A Fetch API handler on Node's http server: IncomingMessage → Request, Response → ServerResponse.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FetchHandler } from './handler.js';

const MAX_BODY = 64 * 1024;

export function toNodeListener(handler: FetchHandler): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      let size = 0;
      if (request.method === 'POST') {
        for await (const chunk of request as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > MAX_BODY) {
            response.writeHead(413).end();
            return;
          }
          chunks.push(chunk);
        }
      }
      const headers = new Headers();
      for (const [key, value] of Object.entries(request.headers))
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
      const answer = await handler(
        new Request(url, { method: request.method ?? 'GET', headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) }),
      );
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      response.end(Buffer.from(await answer.arrayBuffer()));
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('internal error\n');
      console.error(error);
    });
  };
}
