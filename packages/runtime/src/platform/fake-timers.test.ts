/**
 * A test that fakes timers after the runtime loaded (vitest's, as jest's and sinon's, replace the
 * globals) must see none of the tracer's timers among its own: not in `vi.getTimerCount()`, not
 * run by `vi.runAllTimers()` (the store's heartbeat made it give up after 10,000 timers), and
 * the tracer's work must not wait for the fake clock.
 */
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { flushTraces, LocalStoreDestination, setDestination, startSpan, trace } from '../index.js';
import { tempDir } from '../../../../test-support/temp-dir.js';

afterEach(() => {
  vi.useRealTimers();
});

it('a traced program under fake timers sets none of its timers, and its traces are still written', async () => {
  const store = new LocalStoreDestination(join(tempDir('tw-fake-timers-'), 'mlruns'));
  setDestination(store);
  vi.useFakeTimers();
  const add = trace(function add(a: number, b: number) {
    return a + b;
  });
  // A root that ends with a child still open waits for it on a timer (the orphan wait).
  const leaky = trace(function leaky() {
    startSpan({ name: 'never ended' });
    return 'done';
  });
  expect(add(1, 2)).toBe(3);
  expect(leaky()).toBe('done');
  expect(vi.getTimerCount()).toBe(0);
  expect(() => vi.runAllTimers()).not.toThrow();

  // Still under fake timers: the store writes on the real ones (on the program's, standing
  // still, this flush would never end).
  await flushTraces();
  const names = (await store.searchTraces({ maxResults: 10 })).traces.map((t) => t.info.tags['mlflow.traceName']);
  expect(names).toContain('add');
  await store.shutdown();
});

it("the program's spies on Date.now and performance.now see none of the tracer's reads", async () => {
  const store = new LocalStoreDestination(join(tempDir('tw-clock-spies-'), 'mlruns'));
  setDestination(store);
  const wall = vi.spyOn(Date, 'now');
  const mono = vi.spyOn(performance, 'now');
  try {
    const add = trace(function add(a: number, b: number) {
      return a + b;
    });
    for (let i = 0; i < 100; i++) expect(add(i, 1)).toBe(i + 1);
    await flushTraces();
    expect((await store.searchTraces({ maxResults: 200, includeSpans: false })).traces).toHaveLength(100);
    expect(wall).not.toHaveBeenCalled();
    expect(mono).not.toHaveBeenCalled();
  } finally {
    wall.mockRestore();
    mono.mockRestore();
    await store.shutdown();
  }
});
