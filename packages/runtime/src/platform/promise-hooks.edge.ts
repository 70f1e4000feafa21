import type { PromiseHooks } from './promise-hooks.js';

export type { PromiseHooks, PromiseInitHook } from './promise-hooks.js';

/** None on the edge: every observed promise is treated as already handled (see promise-observer.ts). */
export const promiseHooks: PromiseHooks | undefined = undefined;
