/**
 * One HTTP exchange over node:http(s), with a hard per-request deadline. The runtime ships in
 * users' production apps, so this is the whole HTTP stack: no dependencies, keep-alive agents
 * whose idle sockets never hold the process open, background exchanges that hold it only
 * while a flush waits for them (RequestGroup), and bounded response bodies.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { utf8Encode } from '../../platform/bytes.js';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  describeExchange,
  exchangeDeadline,
  HttpNetworkError,
  type HttpRequest,
  type HttpResponse,
} from './exchange.js';
import { clearTimer, setTimer } from '../../platform/timers.js';
import { wallNowMs } from '../../core/clock.js';

export { HttpNetworkError, headerValue, responseText, type HttpMethod, type HttpRequest, type HttpResponse } from './exchange.js';

// Keep-alive saves a TCP (and TLS) handshake per trace. Node unrefs sockets parked in the
// agent's free pool, so idle connections never keep the app alive.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

export function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!transport) return Promise.reject(new TypeError(`unsupported URL scheme in ${url.href} (expected http: or https:)`));
  const body = typeof request.body === 'string' ? utf8Encode(request.body) : request.body;
  const headers: Record<string, string> = { ...request.headers };
  if (body) headers['content-length'] = String(body.byteLength);
  const maxBytes = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  const { group } = request;
  const ownDeadline = wallNowMs() + request.timeoutMs;
  const what = describeExchange(request.method, url);
  // Out of time before it started (e.g. the exit budget is spent): do not touch the network.
  if (group?.deadline && group.deadline.at <= wallNowMs()) {
    return Promise.reject(new HttpNetworkError(`${what}: no complete answer within ${group.deadline.what}`, 'ETIMEDOUT'));
  }

  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let untrack: (() => void) | undefined;
    const finish = () => {
      settled = true;
      clearTimer(timer);
      untrack?.();
    };
    const fail = (error: Error) => {
      if (settled) return;
      finish();
      reject(error);
    };
    // Settles at once and destroys the socket: nothing of a timed-out exchange outlives it.
    const abort = (error: HttpNetworkError) => {
      fail(error);
      req.destroy();
    };
    const holds = () => !group || group.holding;
    const applyHold = (socket: Socket) => (holds() ? socket.ref() : socket.unref());
    /** (Re)arms the deadline: the sooner of our own timeout and the group's limit. */
    const arm = () => {
      if (settled) return;
      clearTimer(timer);
      const deadline = exchangeDeadline(request, ownDeadline, what);
      timer = setTimer(() => abort(deadline.error), Math.max(0, deadline.at - wallNowMs()));
      // A held exchange keeps the process alive until its deadline even while it waits for a
      // pooled socket; otherwise the timer must not hold a finished app (the socket does, if ref'd).
      if (!group || !group.holding) timer.unref();
      if (group && req.socket) applyHold(req.socket);
    };

    const req = transport.request(url, { method: request.method, headers, agent: agents[url.protocol as 'http:' | 'https:'] }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          abort(new HttpNetworkError(`response from ${url.origin} exceeds ${maxBytes} bytes`, 'ERESPONSETOOLARGE'));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        finish();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('aborted', () => fail(new HttpNetworkError(`connection to ${url.origin} closed mid-response`, 'ECONNRESET')));
      res.on('error', (error: NodeJS.ErrnoException) => fail(asNetworkError(error, url)));
    });
    // The agent refs a pooled socket when it hands it out; a background exchange unrefs it again.
    if (group) req.on('socket', applyHold);
    untrack = group?.track(arm);
    arm();
    req.on('error', (error: NodeJS.ErrnoException) => fail(asNetworkError(error, url)));
    req.end(body);
  });
}

function asNetworkError(error: NodeJS.ErrnoException, url: URL): HttpNetworkError {
  if (error instanceof HttpNetworkError) return error;
  return new HttpNetworkError(`${url.origin}: ${error.message}`, error.code);
}
