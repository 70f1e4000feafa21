/**
 * AWS Lambda-style `handler(event, context)`, where nothing runs once the handler's promise
 * settles (the instance is frozen): the returned handler delivers traces before it resolves or
 * rejects, with the handler's own value or error, unchanged.
 */
import { settleTraces, type SettleOptions } from './settle.js';

export function withTraceFlushBeforeReturn<A extends unknown[], R>(
  handler: (...args: A) => R | Promise<R>,
  options?: SettleOptions,
): (...args: A) => Promise<Awaited<R>> {
  if (typeof handler !== 'function') throw new TypeError('withTraceFlushBeforeReturn(handler): expected the handler function');
  return async function (this: unknown, ...args: A): Promise<Awaited<R>> {
    try {
      return await handler.apply(this, args);
    } finally {
      await settleTraces(options);
    }
  };
}
