/**
 * The context without AsyncLocalStorage (workerd without nodejs_compat, a browser, edge-runtime
 * outside Next.js): one current value, set and restored around synchronous calls.
 *
 * Kept: parentage through synchronous nesting (a traced function calling traced functions,
 * `withSpan` callbacks up to their first `await`), explicit parents (`startSpan({ parent })`,
 * `withActiveSpan`, `runWithContext`), and everything a traced call records about itself
 * (inputs, outputs, errors, the duration of its promise).
 * Lost: the context across an `await`, a timer or a callback run later. Code after the first
 * `await` of a traced async function sees the context of whatever runs then — normally none —
 * so spans it starts become traces of their own unless given an explicit parent.
 */
import type { ContextStorage } from './async-context.js';

export class SyncContextStorage<T> implements ContextStorage<T> {
  private current: T | undefined = undefined;

  getStore(): T | undefined {
    return this.current;
  }

  run<R>(store: T, fn: () => R): R {
    return this.within(store, fn);
  }

  exit<R>(fn: () => R): R {
    return this.within(undefined, fn);
  }

  enterWith(store: T): void {
    this.current = store;
  }

  disable(): void {
    this.current = undefined;
  }

  private within<R>(store: T | undefined, fn: () => R): R {
    const previous = this.current;
    this.current = store;
    try {
      return fn();
    } finally {
      this.current = previous;
    }
  }
}
