/**
 * Distributed tracing with W3C Trace Context: one trace across processes. The caller puts
 * `getTracingContextHeadersForHttpRequest()` on its request (or `injectTraceContext` on a
 * queue message, `getTracingContextEnv()` on a child process); the callee runs its handler in
 * `withTracingContextFromHeaders(headers, fn)`, so the spans it records nest under the
 * caller's span, in the caller's trace. Names as in MLflow (Python
 * `get_tracing_context_headers_for_http_request` / `set_tracing_context_from_http_request_headers`).
 */
import { currentFrame, runInFrame } from '../core/context.js';
import { otelTraceIdHex } from '../model/json.js';
import { reportInternalError } from '../core/diagnostics.js';
import { RemoteParentSpan, traceStateOf } from '../core/remote-parent.js';
import { runtimeState, type ContextFrame } from '../core/state.js';
import {
  extractSpanContext,
  formatTraceparent,
  tracestateForPropagation,
  writeCarrier,
  type RemoteSpanContext,
} from '../core/trace-context.js';

export type { RemoteSpanContext } from '../core/trace-context.js';

/** `traceparent` and, when the trace carries one, `tracestate`. */
export type TracingContextHeaders = { traceparent: string; tracestate?: string } | Record<string, never>;

/**
 * The context to propagate from here: the active span of a recorded trace, or the remote
 * span of a continued trace that is not sampled (its id still travels, flagged not sampled).
 */
function propagationSource(): { traceIdHex: string; spanId: string; sampled: boolean; traceState: string | undefined } | undefined {
  if (!runtimeState().enabled) return undefined;
  for (let frame: ContextFrame | undefined = currentFrame(); frame; frame = frame.caller) {
    const span = frame.span;
    if (span instanceof RemoteParentSpan) {
      const r = span.remote;
      return { traceIdHex: r.traceIdHex, spanId: r.spanId, sampled: r.sampled && !frame.dropped, traceState: r.traceState };
    }
    if (frame.dropped) continue; // a sampled-out subtree: look for a continued context above it
    if (!span?.buffer) return undefined;
    return { traceIdHex: otelTraceIdHex(span.traceId), spanId: span.spanId, sampled: true, traceState: traceStateOf(span.buffer) };
  }
  return undefined;
}

/**
 * Headers that make the receiving service's spans children of the active span: `traceparent`
 * (and `tracestate` if the trace was continued with one). `{}` outside any recorded trace.
 *
 * ```ts
 * await fetch(url, { headers: { ...getTracingContextHeadersForHttpRequest(), 'content-type': 'application/json' } });
 * ```
 */
export function getTracingContextHeadersForHttpRequest(): TracingContextHeaders {
  try {
    const source = propagationSource();
    if (!source || !/^[0-9a-f]{32}$/.test(source.traceIdHex)) return {};
    const headers: { traceparent: string; tracestate?: string } = {
      traceparent: formatTraceparent(source.traceIdHex, source.spanId, source.sampled),
    };
    if (source.traceState !== undefined) {
      const state = tracestateForPropagation(source.traceState);
      if (state !== '') headers.tracestate = state;
    }
    return headers;
  } catch (error) {
    reportInternalError('read tracing context headers', error);
    return {};
  }
}

/**
 * Runs `fn` (sync or async) as part of the trace the headers name: spans it begins are
 * children of the caller's span and share its trace id; the caller's sampled flag decides
 * whether they are recorded. Missing, malformed or hostile headers (wrong version, all-zero
 * ids, bad hex, an oversized `tracestate`) never throw: `fn` then runs in a new trace.
 * Returns exactly what `fn` returns (the same promise), throws what it throws.
 *
 * `headers`: a plain object, a `Headers`, Node's `IncomingHttpHeaders`, a `Map`, message
 * headers (string or byte values), or `process.env` (`TRACEPARENT`).
 */
export function withTracingContextFromHeaders<T>(headers: unknown, fn: () => T): T {
  if (typeof fn !== 'function') {
    throw new TypeError(`withTracingContextFromHeaders(headers, fn): fn must be a function, got ${fn === null ? 'null' : typeof fn}`);
  }
  return runInFrame(frameForRemote(extractSpanContext(headers)), fn);
}

function frameForRemote(remote: RemoteSpanContext | undefined): ContextFrame {
  const caller = currentFrame();
  // No valid context: a new trace, not a child of whatever span is active here.
  if (!remote) return { span: undefined, dropped: false, scope: caller?.scope, caller };
  return { span: new RemoteParentSpan(remote), dropped: !remote.sampled, scope: caller?.scope, caller };
}

/** Short alias of {@link getTracingContextHeadersForHttpRequest}. */
export const getTracingContextHeaders = getTracingContextHeadersForHttpRequest;
/** Short alias of {@link withTracingContextFromHeaders}. */
export const continueTrace = withTracingContextFromHeaders;

/**
 * Writes the current context into any carrier (queue message headers, a `Headers`, a `Map`)
 * and returns it. Writes nothing outside a recorded trace.
 */
export function injectTraceContext<C extends object>(carrier: C): C {
  if (carrier === null || typeof carrier !== 'object') {
    throw new TypeError(`injectTraceContext(carrier): carrier must be an object (message headers, Headers, Map), got ${carrier === null ? 'null' : typeof carrier}`);
  }
  writeCarrier(carrier, getTracingContextHeadersForHttpRequest());
  return carrier;
}

/** Reads the remote span context a carrier holds; undefined when it has none or it is invalid. Never throws. */
export function extractTraceContext(carrier: unknown): RemoteSpanContext | undefined {
  return extractSpanContext(carrier);
}

/**
 * The context as environment variables (`TRACEPARENT`, `TRACESTATE`) for a child process:
 * `spawn(cmd, args, { env: { ...process.env, ...getTracingContextEnv() } })`; the child
 * continues with `withTracingContextFromHeaders(process.env, main)`. Deliberately not read
 * automatically at startup: an inherited, stale TRACEPARENT would pull every trace of a
 * long-lived process into one.
 */
export function getTracingContextEnv(): { TRACEPARENT?: string; TRACESTATE?: string } {
  const headers = getTracingContextHeadersForHttpRequest() as { traceparent?: string; tracestate?: string };
  const env: { TRACEPARENT?: string; TRACESTATE?: string } = {};
  if (headers.traceparent) env.TRACEPARENT = headers.traceparent;
  if (headers.tracestate) env.TRACESTATE = headers.tracestate;
  return env;
}
