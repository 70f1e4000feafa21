import { createHook } from 'node:async_hooks';
import * as v8 from 'node:v8';

export type AsyncInitCallback = (asyncId: number, type: string, triggerAsyncId: number, resource: object) => void;
export interface AsyncInitHook {
  enable(): unknown;
  disable(): unknown;
}

/**
 * An `async_hooks` init hook (see core/promise-observer.ts for why not a V8 promise hook), where
 * the runtime can report promises to it: Node, told apart by V8's promise hooks. Bun has both
 * APIs but reports no promise; the observer copes with that per promise.
 */
export const createAsyncInitHook: ((init: AsyncInitCallback) => AsyncInitHook) | undefined =
  typeof (v8 as unknown as { promiseHooks?: unknown }).promiseHooks === 'object' && typeof createHook === 'function'
    ? (init) => createHook({ init })
    : undefined;
