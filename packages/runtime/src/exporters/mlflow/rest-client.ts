/**
 * MLflow REST calls (JSON in, JSON out). Non-2xx answers become DeliveryFailures carrying the
 * server's `error_code: message`, so the exporter can decide retry vs give-up and readers get
 * a clear error.
 */
import { parseJsonWithBigTimes } from '../../model/json.js';
import { DeliveryFailure, failureFromResponse } from '../delivery/failure.js';
import { httpRequest, responseText, type HttpMethod, type HttpResponse } from '../http/request.js';
import type { RequestGroup } from '../http/request-group.js';
import type { MlflowConnection } from './connection.js';

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export class MlflowRestClient {
  constructor(
    readonly connection: MlflowConnection,
    /** Set on the client used by background delivery (see RequestGroup); unset for the caller's own reads. */
    readonly group?: RequestGroup,
  ) {}

  url(path: string, query?: Query): URL {
    const url = new URL(this.connection.baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, v);
      else url.searchParams.append(key, String(value));
    }
    return url;
  }

  async raw(method: HttpMethod, path: string, options: { query?: Query; body?: Uint8Array | string; headers?: Record<string, string> } = {}): Promise<HttpResponse> {
    return httpRequest({
      method,
      url: this.url(path, options.query),
      headers: { ...this.connection.headers, ...options.headers },
      body: options.body,
      timeoutMs: this.connection.timeoutMs,
      group: this.group,
    });
  }

  /** Sends JSON (if `body`), expects 2xx + JSON back; ns timestamps in the reply stay exact. */
  async json<T = any>(method: HttpMethod, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
    const response = await this.raw(method, path, {
      query: options.query,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      headers: options.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    });
    return parseJsonResponse<T>(response, `${method} ${path}`);
  }
}

export function parseJsonResponse<T>(response: HttpResponse, what: string): T {
  if (response.status < 200 || response.status >= 300) throw failureFromResponse(response, what);
  const text = responseText(response);
  if (text.trim() === '') return {} as T;
  try {
    return parseJsonWithBigTimes(text) as T;
  } catch {
    const snippet = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    throw new DeliveryFailure(`${what} → HTTP ${response.status} but the body is not JSON: ${snippet}`, 'rejected', undefined, response.status);
  }
}

/** True for a 404 / RESOURCE_DOES_NOT_EXIST answer. */
export function isNotFound(error: unknown): boolean {
  return error instanceof DeliveryFailure && (error.status === 404 || /RESOURCE_DOES_NOT_EXIST/.test(error.message));
}
