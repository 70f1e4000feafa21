// hono's compose(): a traced async dispatcher awaiting untraced async middlewares, with more
// middlewares than the stack holds. The request fails with the same RangeError both ways; near
// the limit an async callee rejects for lack of stack, and no such promise may be left
// unhandled by tracing (untraced, the dispatcher's own `await` takes every one of them).
import { sleep, type Log } from './_support.js';

type Middleware = (next: () => Promise<unknown>) => Promise<unknown>;

class Chain {
  constructor(private readonly middlewares: Middleware[]) {}

  //<traced>
  async dispatch(i: number): Promise<unknown> {
    const middleware = this.middlewares[i];
    if (!middleware) return 'end';
    return await middleware(() => this.dispatch(i + 1));
  }

  // The shape of hono's real dispatcher: the middleware's failure is caught and turned into a response.
  //<traced>
  async dispatchCatching(i: number): Promise<unknown> {
    const middleware = this.middlewares[i];
    if (!middleware) return 'end';
    let response: unknown;
    try {
      response = await middleware(() => this.dispatchCatching(i + 1));
    } catch (error) {
      response = error instanceof RangeError ? 'error response' : 'other';
    }
    return response;
  }
}

export async function main(log: Log) {
  const middlewares: Middleware[] = Array.from({ length: 20_000 }, () => async (next) => await next());
  const chain = new Chain(middlewares);
  try {
    log(['dispatch', await chain.dispatch(0)]);
  } catch (error) {
    log(['dispatch', 'rejected', error instanceof RangeError]);
  }
  log(['catching dispatch', await chain.dispatchCatching(0)]);
  await sleep(50);
}
