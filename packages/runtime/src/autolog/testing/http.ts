/** Tiny HTTP plumbing shared by the fake model servers (127.0.0.1, port 0, no dependencies). */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createH2cServer } from 'node:http2';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

export interface FakeServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

/**
 * `h2c` serves HTTP/2 without TLS (prior knowledge), as the AWS SDK's HTTP/2 handler speaks to an
 * `http://` endpoint; handlers see the same request/response API as over HTTP/1.1.
 */
export async function startServer(handler: Handler, host = '127.0.0.1', port = 0, protocol: 'http1' | 'h2c' = 'http1'): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, headers: req.headers, body };
    requests.push(recorded);
    try {
      await handler(recorded, res);
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(error), type: 'server_error' } });
      else res.end();
    }
  };
  const server = protocol === 'h2c' ? createH2cServer(onRequest as never) : createServer(onRequest);
  if (protocol === 'http1') (server as ReturnType<typeof createServer>).keepAliveTimeout = 1000;
  // HTTP/2 sessions stay open between requests: close() destroys their sockets.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Writes server-sent events; `event` lines only when a name is given. */
export async function sendSse(res: ServerResponse, events: Array<{ event?: string; data: unknown }>, delayMs = 0): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const e of events) {
    if (res.destroyed) return;
    const data = typeof e.data === 'string' ? e.data : JSON.stringify(e.data);
    res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${data}\n\n`);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  }
  res.end();
}

/** Whitespace-separated word count: the fake servers' "tokenizer". */
export function countTokens(text: string): number {
  const t = text.trim();
  return t ? t.split(/\s+/).length : 0;
}

/** Splits text into stream pieces of one word each (keeping the spaces). */
export function pieces(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [text];
}
