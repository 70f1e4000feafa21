import * as utilTypes from 'node:util/types';

/** Brand checks that read internal slots, never properties: no Proxy trap or getter runs. */
export const isProxy: (value: unknown) => boolean = utilTypes.isProxy;
export const isPromiseSlot: (value: unknown) => boolean = utilTypes.isPromise;
export const isAsyncFunction: (value: unknown) => boolean = utilTypes.isAsyncFunction;
