/**
 * The shape of one HTTP exchange, shared by both transports: node:http(s) (request.ts) and
 * fetch (request.edge.ts, the edge build). Everything above the transport sees only this.
 */
import { utf8Decode } from '../../platform/bytes.js';
import type { RequestGroup } from './request-group.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: string | URL;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** Whole-exchange deadline (connect + send + receive), ms; a group deadline may cut it shorter. */
  timeoutMs: number;
  /** Background work: held and clipped by its group (see RequestGroup). Default: the caller's own request. */
  group?: RequestGroup;
  /** Responses larger than this are cut off with an error (default 64 MiB). */
  maxResponseBytes?: number;
}

/** Lower-case header names; a repeated header may come as an array. */
export type HttpHeaders = Record<string, string | string[] | undefined>;

export interface HttpResponse {
  status: number;
  headers: HttpHeaders;
  body: Uint8Array;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

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

/** First value of a response header. */
export function headerValue(headers: HttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** The response body as text (UTF-8). */
export function responseText(response: HttpResponse): string {
  return utf8Decode(response.body);
}

/**
 * When an exchange must be cut short — the sooner of its own timeout and its group's limit —
 * and the error that says which. Re-read whenever the group changes its limit.
 */
export function exchangeDeadline(request: HttpRequest, ownDeadline: number, what: string): { at: number; error: HttpNetworkError } {
  const limit = request.group?.deadline;
  if (limit !== undefined && limit.at < ownDeadline) {
    return { at: limit.at, error: new HttpNetworkError(`${what}: no complete answer within ${limit.what}`, 'ETIMEDOUT') };
  }
  return { at: ownDeadline, error: new HttpNetworkError(`${what} timed out after ${request.timeoutMs} ms`, 'ETIMEDOUT') };
}

/** "POST http://host/path": names the exchange in errors. */
export function describeExchange(method: HttpMethod, url: URL): string {
  return `${method} ${url.origin}${url.pathname}`;
}
