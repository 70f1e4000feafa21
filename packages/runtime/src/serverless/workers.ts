/**
 * Cloudflare Workers: `export default withTraceFlush({ fetch, scheduled, queue })`. Each handler
 * runs exactly as written (same arguments, same return value or thrown error, same `this`);
 * afterwards — also when it throws — the delivery of traces is handed to `ctx.waitUntil`, so
 * the response is not delayed and the isolate is not torn down before traces are out. A
 * streamed response's span ends when the platform has consumed or cancelled the body; the
 * flush waits for it.
 */
import { isNativePromise, promiseThen } from '../core/intrinsics.js';
import { settleTraces, type SettleOptions } from './settle.js';

interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

/** Handlers whose third argument is the ExecutionContext. */
const HANDLERS = ['fetch', 'scheduled', 'queue', 'email', 'tail', 'trace'] as const;

/**
 * `after`: the handler's own promise, when it returned one; the flush starts once it settles,
 * so traces started after the handler's first await are included. Observed through the
 * engine's `then`, never the program's (the platform awaits that promise anyway).
 */
function flushVia(ctx: unknown, after: unknown, options: SettleOptions | undefined): void {
  const waitUntil = (ctx as ExecutionContextLike | undefined)?.waitUntil;
  if (typeof waitUntil !== 'function') return;
  const settle = () => settleTraces(options);
  waitUntil.call(ctx, isNativePromise(after) ? promiseThen.call(after, settle, settle) : settle());
}

function wrapHandler<F extends (...args: any[]) => unknown>(handler: F, options: SettleOptions | undefined): F {
  return function (this: unknown, ...args: unknown[]) {
    const ctx = args[2];
    let result: unknown;
    try {
      result = handler.apply(this, args);
    } catch (error) {
      flushVia(ctx, undefined, options);
      throw error;
    }
    // Scheduled now, while the request still accepts waitUntil work; settleTraces waits for
    // spans still open (a streamed body's) before it delivers.
    flushVia(ctx, result, options);
    return result;
  } as F;
}

/** Returns a handler object whose handlers flush traces through `ctx.waitUntil`; other members are kept as they are. */
export function withTraceFlush<H extends object>(handlers: H, options?: SettleOptions): H {
  if (typeof handlers !== 'object' || handlers === null) {
    throw new TypeError('withTraceFlush(handlers): expected the Worker\'s handler object, e.g. { fetch(request, env, ctx) { ... } }');
  }
  const wrapped: Record<string | symbol, unknown> = Object.create(Object.getPrototypeOf(handlers));
  for (const key of Reflect.ownKeys(handlers)) {
    const descriptor = Object.getOwnPropertyDescriptor(handlers, key)!;
    const value = descriptor.value;
    if (typeof value === 'function' && (HANDLERS as readonly (string | symbol)[]).includes(key)) descriptor.value = wrapHandler(value, options);
    Object.defineProperty(wrapped, key, descriptor);
  }
  return wrapped as H;
}
