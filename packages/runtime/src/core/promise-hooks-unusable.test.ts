/**
 * A runtime whose `v8.promiseHooks` exists but whose `onInit` throws (Bun 1.x: "node:v8 onInit is
 * not yet implemented in Bun."): traced async calls return, throw and record exactly as on a
 * runtime without promise hooks, instead of failing with the runtime's error. The same program on
 * the real Bun is in platforms/node-family/runtimes.test.ts.
 */
import { expect, test, vi } from 'vitest';
import { trace } from '../api/trace.js';
import { useMemoryDestination } from './__tests__/memory.js';
import { getTracingDiagnostics } from './diagnostics.js';

const onInit = vi.hoisted(() =>
  vi.fn(() => {
    throw Object.assign(new Error('node:v8 onInit is not yet implemented in Bun.'), { code: 'ERR_NOT_IMPLEMENTED' });
  }),
);
vi.mock('node:v8', async (importOriginal) => ({ ...(await importOriginal<object>()), promiseHooks: { onInit } }));

const memory = useMemoryDestination();

test('traced async calls work, the hook is tried once, and nothing is reported as a tracing failure', async () => {
  const double = trace(async function double(x: number) {
    await null;
    return x * 2;
  });
  const fail = trace(async function fail(why: string) {
    await null;
    throw new TypeError(why);
  });
  expect(await double(21)).toBe(42);
  await expect(fail('boom')).rejects.toThrow(new TypeError('boom'));
  expect(await double(1)).toBe(2);

  expect(onInit).toHaveBeenCalledTimes(1);
  expect(memory.traces.map((t) => [t.data.spans[0]!.name, t.data.spans[0]!.inputs, t.data.spans[0]!.outputs, t.info.state])).toEqual([
    ['double', { x: 21 }, 42, 'OK'],
    ['fail', { why: 'boom' }, undefined, 'ERROR'],
    ['double', { x: 1 }, 2, 'OK'],
  ]);
  expect(getTracingDiagnostics().totalErrors).toBe(0);
});
