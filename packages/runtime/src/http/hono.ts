/**
 * Hono middleware: `app.use(tracewrightHono())`. Each request gets a root span (a child of
 * the caller's span when it carries `traceparent`), active while the handler runs and ended
 * when the handler has produced the response (a streamed body goes on after that; the
 * response is never held).
 */
import { pathOf, resolveHttpTracingOptions, traceRequest, type HttpTracingOptions } from './request-span.js';

export type { HttpTracingOptions } from './request-span.js';

interface HonoContextLike {
  req: { method: string; url: string; path?: string; routePath?: string; raw: { headers: unknown } };
  res: { status: number } | undefined;
  error?: unknown;
}

export function tracewrightHono(options?: HttpTracingOptions): (c: any, next: () => Promise<void>) => Promise<void> {
  const tracing = resolveHttpTracingOptions('tracewrightHono(options)', options);
  return function tracewrightMiddleware(c: HonoContextLike, next: () => Promise<void>): Promise<void> {
    const path = c.req.path ?? pathOf(new URL(c.req.url).pathname);
    return traceRequest(tracing, { method: c.req.method, path, headers: c.req.raw.headers, request: c }, (finish) =>
      next().then(
        () => finish({ status: c.res?.status ?? 200, route: c.req.routePath, error: c.error }),
        (error: unknown) => {
          finish({ status: 500, error });
          throw error;
        },
      ),
    );
  };
}
