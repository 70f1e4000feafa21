/**
 * One HTTP exchange over node:http(s), with a hard per-request deadline. The runtime ships in
 * users' production apps, so this is the whole HTTP stack: no dependencies, keep-alive agents
 * whose idle sockets never hold the process open, and bounded response bodies.
 */
import http from 'node:http';
import https from 'node:https';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: string | URL;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** Whole-exchange deadline (connect + send + receive), ms. */
  timeoutMs: number;
  /** Responses larger than this are cut off with an error (default 64 MiB). */
  maxResponseBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** The request never produced a complete response: refused, reset, DNS, TLS, timeout. */
export class HttpNetworkError extends Error {
  override readonly name = 'HttpNetworkError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

// Keep-alive saves a TCP (and TLS) handshake per trace. Node unrefs sockets parked in the
// agent's free pool, so idle connections never keep the app alive.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!transport) return Promise.reject(new TypeError(`unsupported URL scheme in ${url.href} (expected http: or https:)`));
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  const headers: Record<string, string> = { ...request.headers };
  if (body) headers['content-length'] = String(body.byteLength);
  const maxBytes = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    const req = transport.request(url, { method: request.method, headers, agent: agents[url.protocol as 'http:' | 'https:'] }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          req.destroy(new HttpNetworkError(`response from ${url.origin} exceeds ${maxBytes} bytes`, 'ERESPONSETOOLARGE'));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('aborted', () => fail(new HttpNetworkError(`connection to ${url.origin} closed mid-response`, 'ECONNRESET')));
      res.on('error', (error: NodeJS.ErrnoException) => fail(asNetworkError(error, url)));
    });
    const timer = setTimeout(() => {
      req.destroy(new HttpNetworkError(`${request.method} ${url.origin}${url.pathname} timed out after ${request.timeoutMs} ms`, 'ETIMEDOUT'));
    }, request.timeoutMs);
    // The deadline must not keep an otherwise finished app alive; the socket itself does that
    // while the request is in flight.
    timer.unref();
    req.on('error', (error: NodeJS.ErrnoException) => fail(asNetworkError(error, url)));
    req.end(body);
  });
}

function asNetworkError(error: NodeJS.ErrnoException, url: URL): HttpNetworkError {
  if (error instanceof HttpNetworkError) return error;
  return new HttpNetworkError(`${url.origin}: ${error.message}`, error.code);
}

/** First value of a response header (node gives arrays for repeated ones). */
export function headerValue(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
