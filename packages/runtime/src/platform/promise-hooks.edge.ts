import type { AsyncInitCallback, AsyncInitHook } from './promise-hooks.js';

export type { AsyncInitCallback, AsyncInitHook } from './promise-hooks.js';

/** None on the edge: every observed promise is treated as already handled (see promise-observer.ts). */
export const createAsyncInitHook: ((init: AsyncInitCallback) => AsyncInitHook) | undefined = undefined;
