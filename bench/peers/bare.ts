/**
 * Peer comparison worker: the untraced functions. With argv[2] `after-hooks`, the process first
 * turns an AsyncLocalStorage on (as any tracer, APM agent or framework using one does), runs
 * async calls under it and turns it off again: V8 keeps part of the promise-hook cost for every
 * later promise of the process, which is the floor "tracing disabled after it was on" can reach.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as tick } from 'node:timers/promises';
import { buildScenarios } from './scenarios.js';
import { runWorker } from './worker.js';

if (process.argv[2] === 'after-hooks') {
  const als = new AsyncLocalStorage<object>();
  for (let i = 0; i < 2_000; i++) await als.run({}, async () => tick());
  als.disable();
  for (let i = 0; i < 10; i++) await tick();
}
runWorker({ scenarios: buildScenarios((fn) => fn) });
