/**
 * What went wrong with one delivery attempt, reduced to what the retry loop needs: retry
 * (network trouble, 429, 5xx), split (413 with a multi-item batch) or give up (the server
 * rejected the payload) — always with the server's own words for the one-time warning.
 */
import { HttpNetworkError, headerValue, responseText, type HttpResponse } from '../http/exchange.js';
import { wallNowMs } from '../../core/clock.js';

export type FailureKind = 'retryable' | 'too-large' | 'rejected';

export class DeliveryFailure extends Error {
  override readonly name = 'DeliveryFailure';
  constructor(
    message: string,
    readonly kind: FailureKind,
    /** Server-requested wait (Retry-After), ms. */
    readonly retryAfterMs?: number,
    readonly status?: number,
    /** Network error code (ECONNREFUSED, ETIMEDOUT…) when no response came. */
    readonly code?: string,
  ) {
    super(message);
  }

  /** Short, stable cause for diagnostics sites: "HTTP 503", "ECONNREFUSED", "rejected". */
  get reason(): string {
    if (this.status !== undefined) return `HTTP ${this.status}`;
    return this.code ?? this.kind;
  }
}

/** 429 and 5xx are worth retrying, except 501 (the route will never exist on this server). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501);
}

/** Builds the failure for a non-2xx response; `what` names the call, e.g. "POST /v1/traces". */
export function failureFromResponse(response: HttpResponse, what: string): DeliveryFailure {
  const message = `${what} → HTTP ${response.status}: ${serverMessage(response)}`;
  if (response.status === 413) return new DeliveryFailure(message, 'too-large', undefined, 413);
  if (isRetryableStatus(response.status)) {
    return new DeliveryFailure(message, 'retryable', parseRetryAfter(headerValue(response.headers, 'retry-after')), response.status);
  }
  return new DeliveryFailure(message, 'rejected', undefined, response.status);
}

/**
 * The failure that ends a retry loop, also naming an earlier attempt's different failure: when
 * the exit budget cuts off the last try, the real trouble (e.g. "socket hang up") was before it.
 */
export function withEarlierAttempt(last: DeliveryFailure, earlier: DeliveryFailure | undefined): DeliveryFailure {
  if (!earlier || earlier.message === last.message) return last;
  return new DeliveryFailure(`${last.message}; earlier attempt: ${earlier.message}`, last.kind, last.retryAfterMs, last.status, last.code);
}

/** Normalizes anything a sender threw. Unknown errors are bugs or bad data: never retried. */
export function toDeliveryFailure(error: unknown): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error;
  if (error instanceof HttpNetworkError) return new DeliveryFailure(`unreachable: ${error.message}`, 'retryable', undefined, undefined, error.code ?? 'network error');
  return new DeliveryFailure(error instanceof Error ? error.message : String(error), 'rejected');
}

const MAX_MESSAGE_CHARS = 500;

/**
 * The human part of an error body: MLflow `{"error_code","message"}`, FastAPI `{"detail"}`
 * (string or validation list), OTLP `Status{message}`, else the text itself, shortened.
 */
export function serverMessage(response: HttpResponse): string {
  const text = responseText(response).trim();
  if (!text) return response.status === 413 ? 'payload too large' : '(empty body)';
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const detail = parsed.message ?? parsed.detail;
    const code = typeof parsed.error_code === 'string' ? `${parsed.error_code}: ` : '';
    if (typeof detail === 'string') return shorten(code + detail);
    if (detail !== undefined) return shorten(code + JSON.stringify(detail));
  } catch {
    // not JSON: fall through to the raw text
  }
  return shorten(text);
}

function shorten(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}

/** `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in ms; undefined if absent/invalid. */
export function parseRetryAfter(value: string | undefined, now = wallNowMs()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
