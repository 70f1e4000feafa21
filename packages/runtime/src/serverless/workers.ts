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
 * The flush starts once the handler's promise (if it returned one) has settled, so traces
 * started after its first await are included, and — for a Response with a body — once the
 * platform has finished reading or cancelled that body, so a streamed answer's spans (which may
 * only start when the platform pulls the first chunk) are included too. The promise is observed
 * through the engine's own `then`, never the program's; the platform awaits it anyway.
 */
function flushVia(ctx: unknown, result: unknown, options: SettleOptions | undefined): unknown {
  const waitUntil = (ctx as ExecutionContextLike | undefined)?.waitUntil;
  if (typeof waitUntil !== 'function') return result;
  const settle = () => settleTraces(options);
  if (!isNativePromise(result)) {
    const watched = watchBody(result);
    waitUntil.call(ctx, watched ? promiseThen.call(watched.done, settle, settle) : settle());
    return watched ? watched.response : result;
  }
  let bodyDone: Promise<void> | undefined;
  const outcome = promiseThen.call(result, (value: unknown) => {
    const watched = watchBody(value);
    if (!watched) return value;
    bodyDone = watched.done;
    return watched.response;
  });
  const finished = promiseThen.call(outcome, () => bodyDone, () => undefined);
  waitUntil.call(ctx, promiseThen.call(finished, settle, settle));
  return outcome;
}

/**
 * A Response whose body the platform will stream: the same status, headers and bytes, read
 * through an identity stream that says when the body was fully read or cancelled. Responses
 * without a body, WebSocket upgrades (status 101) and anything that is not a Response are
 * returned as they are.
 */
function watchBody(value: unknown): { response: Response; done: Promise<void> } | undefined {
  if (typeof Response !== 'function' || !(value instanceof Response) || value.body === null || value.status === 101 || value.bodyUsed) return undefined;
  if ((value as { webSocket?: unknown }).webSocket) return undefined;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const reader = value.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await reader.read();
        if (next.done) {
          controller.close();
          finish();
        } else controller.enqueue(next.value);
      } catch (error) {
        finish();
        controller.error(error);
      }
    },
    // The client went away: the platform cancels the body, which reaches the program's stream.
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  });
  const response = new Response(body, value);
  return { response, done };
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
    return flushVia(ctx, result, options);
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
