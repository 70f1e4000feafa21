/**
 * A runtime whose `async_hooks.createHook` exists but reports no promise to it (Bun 1.x, which
 * also has `v8.promiseHooks`): traced async calls return, throw and record exactly as on a runtime
 * without promise hooks, and a rejection the program handles never becomes an unhandled one
 * (no watched promise's id is ever learnt, so none is watched). The same program on the real Bun
 * is in platforms/node-family/runtimes.test.ts.
 */
import { expect, test, vi } from 'vitest';
import { trace } from '../api/trace.js';
import { useMemoryDestination } from './__tests__/memory.js';
import { getTracingDiagnostics } from './diagnostics.js';

const createHook = vi.hoisted(() => vi.fn(() => ({ enable() {}, disable() {} })));
vi.mock('node:async_hooks', async (importOriginal) => ({ ...(await importOriginal<object>()), createHook }));

const memory = useMemoryDestination();

test('traced async calls work, handled rejections stay handled, nothing is reported as a tracing failure', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
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
    const late = fail('late');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await late.catch(() => {});
    expect(await double(1)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(createHook).toHaveBeenCalledTimes(1);
    expect(unhandled).toEqual([]);
    expect(memory.traces.map((t) => [t.data.spans[0]!.name, t.data.spans[0]!.inputs, t.data.spans[0]!.outputs, t.info.state])).toEqual([
      ['double', { x: 21 }, 42, 'OK'],
      ['fail', { why: 'boom' }, undefined, 'ERROR'],
      ['fail', { why: 'late' }, undefined, 'ERROR'],
      ['double', { x: 1 }, 2, 'OK'],
    ]);
    expect(getTracingDiagnostics().totalErrors).toBe(0);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
