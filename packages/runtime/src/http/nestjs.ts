/**
 * NestJS interceptor: `app.useGlobalInterceptors(new TracewrightInterceptor())` (Express or
 * Fastify platform). Each HTTP request gets a root span (a child of the caller's span when it
 * carries `traceparent`) that is active while the handler runs, named after the route
 * template, ended when the response finishes, whatever exception filters made of it.
 * Non-HTTP contexts (microservices, websockets) pass through untouched.
 */
import { Observable } from 'rxjs';
import { pathOf, resolveHttpTracingOptions, traceRequest, type HttpTracingOptions, type RequestTracing } from './request-span.js';

export type { HttpTracingOptions } from './request-span.js';

interface ExecutionContextLike {
  getType(): string;
  switchToHttp(): { getRequest(): any; getResponse(): any };
}
interface CallHandlerLike {
  handle(): Observable<unknown>;
}
interface NodeResponse {
  statusCode: number;
  writableFinished?: boolean;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

export class TracewrightInterceptor {
  private readonly tracing: RequestTracing;

  constructor(options?: HttpTracingOptions) {
    this.tracing = resolveHttpTracingOptions('new TracewrightInterceptor(options)', options);
  }

  intercept(context: ExecutionContextLike, next: CallHandlerLike): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest();
    const reply = http.getResponse();
    // Express: req/res are Node's; Fastify: request/reply wrap them (`raw`).
    const res: NodeResponse = reply?.raw ?? reply;
    const route: string | undefined =
      typeof req?.route?.path === 'string' ? (req.baseUrl ?? '') + req.route.path : typeof req?.routeOptions?.url === 'string' ? req.routeOptions.url : undefined;
    const tracing = this.tracing;
    return new Observable((subscriber) => {
      let failure: unknown;
      return traceRequest(tracing, { method: req.method, path: pathOf(req.originalUrl ?? req.url), route, headers: req.headers, request: req }, (finish) => {
        const done = () => finish({ status: res.writableFinished === false ? 499 : res.statusCode, error: failure });
        res.once('finish', done);
        res.once('close', done);
        return next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            failure = error;
            subscriber.error(error);
          },
          complete: () => subscriber.complete(),
        });
      });
    });
  }
}
