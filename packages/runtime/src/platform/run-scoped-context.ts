/**
 * AsyncLocalStorage without `enterWith` (workerd): the tracer switches context with enterWith
 * and restores it by hand around a call (core/tracer.ts), so here that switch is a synchronous
 * override on top of the storage, and traced calls themselves run inside `run(frame, …)`
 * (callsRunInside), which is what carries the frame across their awaits. The override is
 * dropped whenever the context it names is the storage's own, so it never outlives the
 * synchronous code that set it.
 */
import type { ContextStorage } from './async-context.js';

const NONE: unique symbol = Symbol('no override');

export class RunScopedContextStorage<T> implements ContextStorage<T> {
  private override: T | undefined | typeof NONE = NONE;

  constructor(private readonly storage: ContextStorage<T>) {}

  getStore(): T | undefined {
    return this.override === NONE ? this.storage.getStore() : this.override;
  }

  run<R>(store: T, fn: () => R): R {
    return this.storage.run(store, () => this.withoutOverride(fn));
  }

  exit<R>(fn: () => R): R {
    return this.storage.run(undefined as T, () => this.withoutOverride(fn));
  }

  enterWith(store: T): void {
    this.override = store === this.storage.getStore() ? NONE : store;
  }

  disable(): void {
    this.override = NONE;
  }

  private withoutOverride<R>(fn: () => R): R {
    const saved = this.override;
    this.override = NONE;
    try {
      return fn();
    } finally {
      this.override = saved;
    }
  }
}
