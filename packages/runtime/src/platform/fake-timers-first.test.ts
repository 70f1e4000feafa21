/**
 * Timers and clocks a test faked before the runtime loaded (a setup file's `vi.useFakeTimers()`,
 * jest's `enableGlobally`): the tracer still uses the real ones. Its own file, so that the
 * runtime is first imported after the fakes are in.
 */
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { tempDir } from '../../../../test-support/temp-dir.js';

vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date', 'performance'] });
vi.setSystemTime(new Date('2000-01-01T00:00:00Z'));

it('a runtime loaded under fake timers sets none of them and reads the real clock', async () => {
  const { flushTraces, LocalStoreDestination, setDestination, trace } = await import('../index.js');
  const store = new LocalStoreDestination(join(tempDir('tw-fake-first-'), 'mlruns'));
  setDestination(store);
  const add = trace(function add(a: number, b: number) {
    // 20 ms of real time, which the fake clocks do not see.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    return a + b;
  });
  const before = vi.getTimerCount();
  expect(add(1, 2)).toBe(3);
  expect(vi.getTimerCount()).toBe(before);
  expect(() => vi.runAllTimers()).not.toThrow();
  // Written on the real timers while the fake clock stands still; timed by the real clock.
  await flushTraces();
  const [found] = (await store.searchTraces({ maxResults: 1 })).traces;
  expect(found?.data.spans[0]?.name).toBe('add');
  expect(found!.info.requestTime).toBeGreaterThan(Date.UTC(2020, 0, 1));
  expect(found!.info.executionDuration).toBeGreaterThanOrEqual(15);
  expect(Date.now()).toBe(Date.UTC(2000, 0, 1));
  await store.shutdown();
  vi.useRealTimers();
});
