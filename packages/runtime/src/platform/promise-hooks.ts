import * as v8 from 'node:v8';

export type PromiseInitHook = (promise: Promise<unknown>, parent?: Promise<unknown>) => void;
export interface PromiseHooks {
  onInit(hook: PromiseInitHook): () => void;
}

/** V8's promise hooks (Node); see core/promise-observer.ts for what they are used for. */
export const promiseHooks: PromiseHooks | undefined = (v8 as unknown as { promiseHooks?: PromiseHooks }).promiseHooks;
