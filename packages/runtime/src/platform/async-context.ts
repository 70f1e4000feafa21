import { AsyncLocalStorage } from 'node:async_hooks';

/** The part of AsyncLocalStorage the tracer uses; the edge fallback implements the same. */
export interface ContextStorage<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
  exit<R>(fn: () => R): R;
  enterWith(store: T): void;
  disable(): void;
}

/** Node, Bun, Deno: the context follows every await, timer and callback. */
export const contextPropagation: 'async' | 'sync-only' = 'async';

/**
 * true where the storage cannot `enterWith` (workerd's AsyncLocalStorage): traced calls are then
 * made inside `run(frame, …)` so their awaits keep the context (see run-scoped-context.ts).
 */
export const callsRunInside = false;

export function createContextStorage<T>(): ContextStorage<T> {
  return new AsyncLocalStorage<T>();
}
