/**
 * Opt-in: outgoing requests made inside a recorded trace carry its context (`traceparent`,
 * `tracestate`) without the code adding headers. Patches `globalThis.fetch` (undici) and, if
 * asked, `node:http` / `node:https` `request` and `get`. A request that already has a
 * `traceparent` is left alone; outside a recorded trace nothing changes. The caller's own
 * options/headers objects are never modified (copies are passed on). Off by default: adding
 * a header is a change the program can observe (a server that rejects unknown headers, a
 * signed request).
 */
import { reportInternalError } from '../core/diagnostics.js';
import { getTracingContextHeadersForHttpRequest } from './distributed.js';

export interface ClientPropagationOptions {
  /** Patch `globalThis.fetch` (default true). */
  fetch?: boolean;
  /** Patch `node:http` and `node:https` `request` / `get` (default false). */
  http?: boolean;
}

type AnyFunction = (...args: any[]) => any;

function contextHeaders(): Record<string, string> | undefined {
  const headers = getTracingContextHeadersForHttpRequest() as Record<string, string>;
  return headers.traceparent ? headers : undefined;
}

function patchFetch(): () => void {
  const original = globalThis.fetch;
  if (typeof original !== 'function') throw new Error('propagateTraceContext({ fetch: true }): globalThis.fetch is not a function in this runtime');
  const patched = function fetch(this: unknown, input: unknown, init?: RequestInit): Promise<Response> {
    const context = contextHeaders();
    if (!context) return Reflect.apply(original, this, arguments);
    let next: RequestInit;
    try {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      if (headers.has('traceparent')) return Reflect.apply(original, this, arguments);
      for (const [k, v] of Object.entries(context)) headers.set(k, v);
      next = { ...init, headers };
    } catch (error) {
      reportInternalError('add trace context to fetch', error);
      return Reflect.apply(original, this, arguments);
    }
    return Reflect.apply(original, this, [input, next]);
  };
  globalThis.fetch = patched as typeof fetch;
  return () => {
    if (globalThis.fetch === (patched as typeof fetch)) globalThis.fetch = original;
  };
}

/** `request(url?, options?, callback?)` with the context headers in a copy of the options. */
function withContextArgs(args: unknown[], context: Record<string, string>): unknown[] {
  const first = args[0];
  const urlFirst = typeof first === 'string' || first instanceof URL;
  const at = urlFirst ? 1 : 0;
  const options = args[at];
  if (urlFirst && (options === undefined || typeof options === 'function')) {
    // request(url[, callback]): options go between them.
    return [first, { headers: { ...context } }, ...args.slice(1)];
  }
  if (options === null || typeof options !== 'object') return args;
  const headers = (options as { headers?: unknown }).headers;
  if (Array.isArray(headers)) return args; // raw header list: left as the program wrote it
  const existing = (headers ?? {}) as Record<string, unknown>;
  if (Object.keys(existing).some((k) => k.toLowerCase() === 'traceparent')) return args;
  const copy = [...args];
  copy[at] = { ...(options as object), headers: { ...existing, ...context } };
  return copy;
}

function patchHttp(): () => void {
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => any }).getBuiltinModule;
  if (typeof getBuiltin !== 'function') throw new Error('propagateTraceContext({ http: true }): needs Node >= 20.16 (process.getBuiltinModule)');
  const restores: Array<() => void> = [];
  for (const id of ['node:http', 'node:https']) {
    const mod = getBuiltin(id) as Record<'request' | 'get', AnyFunction>;
    for (const name of ['request', 'get'] as const) {
      const original = mod[name];
      const patched = function (this: unknown, ...args: unknown[]) {
        let context: Record<string, string> | undefined;
        try {
          context = contextHeaders();
          if (context) args = withContextArgs(args, context);
        } catch (error) {
          reportInternalError('add trace context to http request', error);
        }
        return Reflect.apply(original, this, args);
      };
      Object.defineProperty(patched, 'name', { value: original.name });
      mod[name] = patched;
      restores.push(() => {
        if (mod[name] === patched) mod[name] = original;
      });
    }
  }
  // ESM named imports (`import { request } from 'node:http'`) see the patch too.
  const sync = () => (getBuiltin('node:module') as { syncBuiltinESMExports(): void }).syncBuiltinESMExports();
  sync();
  return () => {
    restores.forEach((r) => r());
    sync();
  };
}

/** Starts adding the trace context to outgoing requests; returns the function that stops it. */
export function propagateTraceContext(options: ClientPropagationOptions = {}): () => void {
  if (options === null || typeof options !== 'object') throw new TypeError('propagateTraceContext(options): options must be an object { fetch?, http? }');
  const undo: Array<() => void> = [];
  if (options.fetch !== false) undo.push(patchFetch());
  if (options.http === true) undo.push(patchHttp());
  return () => undo.forEach((u) => u());
}
