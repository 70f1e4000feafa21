/**
 * Express (4 and 5) middleware: `app.use(tracewrightExpress())` before the routes. Each
 * request gets a root span (a child of the caller's span when it carries `traceparent`),
 * ended when the response finishes or the connection closes.
 */
import { pathOf, resolveHttpTracingOptions, traceRequest, type HttpTracingOptions } from './request-span.js';

export type { HttpTracingOptions } from './request-span.js';

/** The parts of Express's req/res used here (structural: no dependency on express's types). */
interface ExpressRequest {
  method: string;
  originalUrl?: string;
  url?: string;
  baseUrl?: string;
  route?: { path?: unknown };
  headers: unknown;
}
interface ExpressResponse {
  statusCode: number;
  once(event: 'finish' | 'close', listener: () => void): unknown;
  writableFinished?: boolean;
}

export function tracewrightExpress(options?: HttpTracingOptions): (req: any, res: any, next: (error?: unknown) => void) => void {
  const tracing = resolveHttpTracingOptions('tracewrightExpress(options)', options);
  return function tracewrightMiddleware(req: ExpressRequest, res: ExpressResponse, next: (error?: unknown) => void): void {
    traceRequest(tracing, { method: req.method, path: pathOf(req.originalUrl ?? req.url), headers: req.headers, request: req }, (finish) => {
      const done = () => {
        // The route template is known once a route matched (after this middleware ran).
        const route = typeof req.route?.path === 'string' ? (req.baseUrl ?? '') + req.route.path : undefined;
        // 'close' before 'finish': the client went away before the response was sent.
        finish({ status: res.writableFinished === false ? 499 : res.statusCode, route });
      };
      res.once('finish', done);
      res.once('close', done);
      next();
    });
  };
}
