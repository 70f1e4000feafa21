/**
 * Fastify plugin: `await app.register(tracewrightFastify())`, or its hooks on an encapsulated
 * scope. Each request gets a root span (a child of the caller's span when it carries
 * `traceparent`) that is active in its hooks and handler, ended when the response is sent.
 */
import { pathOf, resolveHttpTracingOptions, traceRequest, type FinishRequest, type HttpTracingOptions } from './request-span.js';

export type { HttpTracingOptions } from './request-span.js';

interface FastifyRequestLike {
  method: string;
  url: string;
  headers: unknown;
  routeOptions?: { url?: string };
}
interface FastifyReplyLike {
  statusCode: number;
}
interface FastifyLike {
  addHook(name: string, hook: (...args: any[]) => unknown): unknown;
}

/** Per request: how to end its span, and the error a hook or handler failed with. Kept off the request object. */
const inFlight = new WeakMap<object, { finish: FinishRequest; error?: unknown }>();

/**
 * A plugin function marked to skip Fastify's encapsulation (what `fastify-plugin` does), so
 * its hooks apply to every route of the instance it is registered on.
 */
export function tracewrightFastify(options?: HttpTracingOptions): ((instance: FastifyLike, opts: unknown, done: () => void) => void) & { [k: symbol]: unknown } {
  const tracing = resolveHttpTracingOptions('tracewrightFastify(options)', options);
  const plugin = (instance: FastifyLike, _opts: unknown, done: () => void): void => {
    // Running the rest of the request inside the hook's `done` is what makes the span the
    // active context of the later hooks and the handler.
    instance.addHook('onRequest', (request: FastifyRequestLike, _reply: unknown, next: () => void) => {
      traceRequest(
        tracing,
        { method: request.method, path: pathOf(request.url), route: request.routeOptions?.url, headers: request.headers, request },
        (finish) => {
          inFlight.set(request, { finish });
          next();
        },
      );
    });
    instance.addHook('onError', (request: object, _reply: unknown, error: unknown, next: () => void) => {
      const state = inFlight.get(request);
      if (state) state.error = error;
      next();
    });
    instance.addHook('onResponse', (request: object, reply: FastifyReplyLike, next: () => void) => {
      const state = inFlight.get(request);
      state?.finish({ status: reply.statusCode, error: state.error });
      next();
    });
    try {
      instance.addHook('onRequestAbort', (request: object, next: () => void) => {
        // The client went away before the response was sent.
        inFlight.get(request)?.finish({ status: 499 });
        next();
      });
    } catch {
      // Fastify < 4.17 has no such hook: an aborted request's span is then ended (as unfinished) at exit.
    }
    done();
  };
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'tracewright' });
}
