/**
 * The one rule for tracing an incoming HTTP request, shared by the Express, Fastify, Hono
 * and NestJS adapters: the request's root span (a child of the caller's span when the request
 * carries a valid `traceparent`), method / path / route / status, user and session from
 * headers or a callback, and request headers minus the secret ones. The adapters only say
 * where those facts are in their framework and when the response is done; nothing here
 * waits for, wraps or delays the response.
 */
import { withTracingContextFromHeaders } from '../api/distributed.js';
import { startSpan } from '../api/spans.js';
import { updateCurrentTrace } from '../api/trace-updates.js';
import { withActiveSpan } from '../core/context.js';
import { reportInternalError } from '../core/diagnostics.js';
import type { LiveSpan } from '../core/live-span.js';
import { readCarrier } from '../core/trace-context.js';
import { SpanStatusCode, type SpanType } from '../model/constants.js';

/** Never recorded, whatever the options say. */
const ALWAYS_SECRET = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token'];

export interface HttpTracingOptions {
  /** Header whose value becomes the trace's `mlflow.trace.user`; false: none. Default `X-User-ID`. */
  userHeader?: string | false;
  /** Header whose value becomes the trace's `mlflow.trace.session`; false: none. Default `X-Session-ID`. */
  sessionHeader?: string | false;
  /**
   * Decides user and session from the framework's request (wins over the headers). A throw
   * is reported in the diagnostics and the request goes on untouched.
   */
  identify?: (request: any) => { user?: string; session?: string } | undefined;
  /** More header names never to record (Authorization, Cookie, Set-Cookie, X-API-Key, X-Auth-Token never are). */
  secretHeaders?: readonly string[];
  /** Continue an incoming `traceparent` (default true); false: every request starts a new trace. */
  continueTrace?: boolean;
  /** Span type of the request span (default `CHAIN`). */
  spanType?: SpanType;
  /** Record the (non-secret) request headers as part of the span inputs (default true). */
  recordHeaders?: boolean;
}

/** Options checked once, when the middleware is created. */
export interface RequestTracing {
  readonly userHeader: string | undefined;
  readonly sessionHeader: string | undefined;
  readonly identify: HttpTracingOptions['identify'];
  readonly secret: ReadonlySet<string>;
  readonly continueTrace: boolean;
  readonly spanType: SpanType;
  readonly recordHeaders: boolean;
}

export function resolveHttpTracingOptions(where: string, options: HttpTracingOptions = {}): RequestTracing {
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: options must be an object, got ${options === null ? 'null' : typeof options}`);
  const header = (name: 'userHeader' | 'sessionHeader', fallback: string): string | undefined => {
    const v = options[name];
    if (v === undefined) return fallback;
    if (v === false) return undefined;
    if (typeof v !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(v)) throw new TypeError(`${where}: option "${name}" must be a header name or false, got ${JSON.stringify(v)}`);
    return v.toLowerCase();
  };
  if (options.identify !== undefined && typeof options.identify !== 'function') throw new TypeError(`${where}: option "identify" must be a function (request) => ({ user?, session? })`);
  const extra = options.secretHeaders ?? [];
  if (!Array.isArray(extra) || !extra.every((h) => typeof h === 'string')) throw new TypeError(`${where}: option "secretHeaders" must be an array of header names`);
  if (options.spanType !== undefined && (typeof options.spanType !== 'string' || options.spanType === '')) throw new TypeError(`${where}: option "spanType" must be a span type string such as "CHAIN"`);
  return {
    userHeader: header('userHeader', 'x-user-id'),
    sessionHeader: header('sessionHeader', 'x-session-id'),
    identify: options.identify,
    secret: new Set([...ALWAYS_SECRET, ...extra.map((h) => h.toLowerCase())]),
    continueTrace: options.continueTrace !== false,
    spanType: options.spanType ?? 'CHAIN',
    recordHeaders: options.recordHeaders !== false,
  };
}

/** What an adapter knows about a request when it arrives. */
export interface IncomingRequest {
  method: string;
  /** The URL path, without the query string (which may carry tokens: never recorded). */
  path: string;
  /** The route template (`/users/:id`), when the framework knows it already. */
  route?: string | undefined;
  /** Headers: Node's IncomingHttpHeaders, a `Headers`, or a plain object. */
  headers: unknown;
  /** Handed to `identify`. */
  request: unknown;
}

export interface RequestOutcome {
  status: number;
  /** The route template, if only known once the request was routed (Express). */
  route?: string | undefined;
  /** A failure the framework saw (the span gets it as an exception event). */
  error?: unknown;
}

/** Ends the request span; later calls do nothing. */
export type FinishRequest = (outcome: RequestOutcome) => void;

/** The path part of a request URL (`/a/b?token=x` → `/a/b`). */
export function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Runs `handle` (the rest of the request's processing: `next()`, the handler) with the
 * request span active, and gives it the function that ends the span. Returns what `handle`
 * returns. Tracing failures are reported, never thrown: `handle` then runs untraced.
 */
export function traceRequest<T>(tracing: RequestTracing, request: IncomingRequest, handle: (finish: FinishRequest) => T): T {
  let span: LiveSpan | undefined;
  const headers = tracing.continueTrace ? request.headers : undefined;
  return withTracingContextFromHeaders(headers, () => {
    try {
      span = startRequestSpan(tracing, request);
    } catch (error) {
      reportInternalError('start HTTP request span', error);
    }
    if (!span) return handle(NOOP_FINISH);
    const finish = finisher(span, request.route);
    return withActiveSpan(span, () => {
      identify(tracing, request);
      return handle(finish);
    });
  });
}

const NOOP_FINISH: FinishRequest = () => undefined;

function startRequestSpan(tracing: RequestTracing, request: IncomingRequest): LiveSpan {
  const method = String(request.method || 'GET').toUpperCase();
  const inputs: Record<string, unknown> = { method, path: request.path };
  if (tracing.recordHeaders) inputs.headers = recordableHeaders(request.headers, tracing.secret);
  const attributes: Record<string, unknown> = { 'http.request.method': method, 'url.path': request.path };
  if (request.route) attributes['http.route'] = request.route;
  return startSpan({ name: `${method} ${request.route ?? request.path}`, spanType: tracing.spanType, inputs, attributes });
}

function finisher(span: LiveSpan, routeAtStart: string | undefined): FinishRequest {
  let done = false;
  return (outcome) => {
    if (done) return;
    done = true;
    try {
      const attributes: Record<string, unknown> = { 'http.response.status_code': outcome.status };
      const route = outcome.route ?? routeAtStart;
      if (route) attributes['http.route'] = route;
      if (outcome.error !== undefined) span.recordException(outcome.error);
      const failed = outcome.status >= 500 || outcome.error !== undefined;
      span.end({ outputs: { status: outcome.status }, attributes, status: failed ? SpanStatusCode.ERROR : SpanStatusCode.OK });
    } catch (error) {
      reportInternalError('end HTTP request span', error);
    }
  };
}

function identify(tracing: RequestTracing, request: IncomingRequest): void {
  let user: string | undefined;
  let session: string | undefined;
  try {
    if (tracing.userHeader) user = readCarrier(request.headers, tracing.userHeader);
    if (tracing.sessionHeader) session = readCarrier(request.headers, tracing.sessionHeader);
    if (tracing.identify) {
      const who = tracing.identify(request.request);
      if (who?.user !== undefined) user = String(who.user);
      if (who?.session !== undefined) session = String(who.session);
    }
  } catch (error) {
    reportInternalError('identify HTTP request user/session', error);
  }
  if (user !== undefined || session !== undefined) {
    const update: { user?: string; sessionId?: string } = {};
    if (user !== undefined) update.user = user;
    if (session !== undefined) update.sessionId = session;
    updateCurrentTrace(update);
  }
}

/** The request headers worth recording: secret ones (and any not plain text) left out. */
function recordableHeaders(headers: unknown, secret: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: string, value: unknown) => {
    const key = name.toLowerCase();
    if (secret.has(key)) return;
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter((v) => typeof v === 'string').join(', ');
  };
  if (headers && typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((value, name) => add(name, value));
  } else if (headers && typeof headers === 'object') {
    for (const name of Object.keys(headers)) add(name, (headers as Record<string, unknown>)[name]);
  }
  return out;
}
