/**
 * One HTTP exchange over `fetch` (the edge build's transport; see request.ts for Node's), with
 * the same contract: a hard whole-exchange deadline (own timeout or the group's, whichever is
 * sooner, re-read when the group changes), bounded response bodies, HttpNetworkError for every
 * failure to get a complete answer. There is no process to hold open here, so a group's hold
 * has nothing to do; keeping the isolate alive is the job of the platform's waitUntil.
 */
import { utf8Encode } from '../../platform/bytes.js';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  describeExchange,
  exchangeDeadline,
  HttpNetworkError,
  type HttpHeaders,
  type HttpRequest,
  type HttpResponse,
} from './exchange.js';
import { clearTimer, setTimer, type Timer } from '../../platform/timers.js';
import { wallNowMs } from '../../core/clock.js';

export { HttpNetworkError, headerValue, responseText, type HttpMethod, type HttpRequest, type HttpResponse } from './exchange.js';

export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`unsupported URL scheme in ${url.href} (expected http: or https:)`);
  const what = describeExchange(request.method, url);
  const { group } = request;
  if (group?.deadline && group.deadline.at <= wallNowMs()) {
    throw new HttpNetworkError(`${what}: no complete answer within ${group.deadline.what}`, 'ETIMEDOUT');
  }
  const ownDeadline = wallNowMs() + request.timeoutMs;
  const controller = new AbortController();
  let timeout: HttpNetworkError | undefined;
  let timer: Timer | undefined;
  const arm = () => {
    clearTimer(timer);
    const deadline = exchangeDeadline(request, ownDeadline, what);
    timer = setTimer(() => {
      timeout = deadline.error;
      controller.abort();
    }, Math.max(0, deadline.at - wallNowMs()));
  };
  const untrack = group?.track(arm);
  arm();
  try {
    const body = typeof request.body === 'string' ? utf8Encode(request.body) : request.body;
    const response = await fetch(url, { method: request.method, headers: request.headers, body: body as BodyInit | undefined, signal: controller.signal });
    const bytes = await readBounded(response, request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, url);
    const headers: HttpHeaders = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body: bytes };
  } catch (error) {
    if (timeout) throw timeout;
    if (error instanceof HttpNetworkError) throw error;
    throw new HttpNetworkError(`${url.origin}: ${error instanceof Error ? error.message : String(error)}`, undefined);
  } finally {
    clearTimer(timer);
    untrack?.();
  }
}

async function readBounded(response: Response, maxBytes: number, url: URL): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => {});
      throw new HttpNetworkError(`response from ${url.origin} exceeds ${maxBytes} bytes`, 'ERESPONSETOOLARGE');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
