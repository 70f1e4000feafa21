import type { ContextStorage } from './async-context.js';
import { builtinModule } from './builtin.edge.js';
import { RunScopedContextStorage } from './run-scoped-context.js';
import { SyncContextStorage } from './sync-context.js';

export type { ContextStorage } from './async-context.js';

type StorageCtor = new () => ContextStorage<unknown>;

// Next.js and Vercel's edge sandbox put AsyncLocalStorage on globalThis; workerd with the
// nodejs_compat flag has node:async_hooks, reachable without a static import (which would
// break the bundle when the flag is off) through process.getBuiltinModule.
const found: StorageCtor | undefined =
  (globalThis as { AsyncLocalStorage?: StorageCtor }).AsyncLocalStorage ??
  builtinModule<{ AsyncLocalStorage?: StorageCtor }>('node:async_hooks')?.AsyncLocalStorage;

/** workerd's AsyncLocalStorage has run() but throws "not implemented" from enterWith(). */
function canEnterWith(ctor: StorageCtor): boolean {
  try {
    new ctor().enterWith(undefined);
    return true;
  } catch {
    return false;
  }
}

/** 'sync-only': spans nest through synchronous calls and explicit parents, not across awaits. */
export const contextPropagation: 'async' | 'sync-only' = found ? 'async' : 'sync-only';

export const callsRunInside: boolean = found !== undefined && !canEnterWith(found);

export function createContextStorage<T>(): ContextStorage<T> {
  if (!found) return new SyncContextStorage<T>();
  const storage = new found() as ContextStorage<T>;
  return callsRunInside ? new RunScopedContextStorage<T>(storage) : storage;
}
