import { afterEach, describe, expect, test } from 'vitest';
import { disableTracing, enableTracing, InMemoryDestination, setDestination, trace } from '../index.js';
import { runtimeState } from './state.js';

// Node's hook-based AsyncLocalStorage (Node 20/22) says whether its promise hooks are on.
const hooksOn = (): boolean | undefined => (runtimeState().als as unknown as { enabled?: boolean }).enabled;
const hookBased = typeof hooksOn() === 'boolean' || process.versions.node.startsWith('20.');

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
const leaf = trace(async function leaf(n: number) {
  await tick();
  return n + 1;
});
const root = trace(async function root(n: number, pause?: () => Promise<void>) {
  const a = await leaf(n);
  await pause?.();
  return leaf(a);
});

afterEach(() => enableTracing());

describe('disableTracing takes the async-context hooks out once nothing is in progress', () => {
  test.runIf(hookBased)('after a trace, disabling turns the storage off; the next traced call turns it on', async () => {
    const dest = new InMemoryDestination();
    setDestination(dest);
    expect(await root(1)).toBe(3);
    expect(hooksOn()).toBe(true);
    disableTracing();
    expect(hooksOn()).toBe(false);
    expect(await root(1)).toBe(3);
    expect(hooksOn()).toBe(false);
    enableTracing();
    expect(await root(5)).toBe(7);
    expect(hooksOn()).toBe(true);
    const traces = dest.traces;
    expect(traces.map((t) => t.data.spans.map((s) => [s.name, s.parentId === null ? 'root' : 'child']))).toEqual([
      [['root', 'root'], ['leaf', 'child'], ['leaf', 'child']],
      [['root', 'root'], ['leaf', 'child'], ['leaf', 'child']],
    ]);
  });

  test.runIf(hookBased)('disabled while a trace is in progress: that trace keeps its context to the end', async () => {
    const dest = new InMemoryDestination();
    setDestination(dest);
    const result = await root(1, async () => {
      disableTracing();
      await tick();
      expect(hooksOn()).toBe(true);
      enableTracing();
    });
    expect(result).toBe(3);
    const [t] = dest.traces;
    const rootSpan = t!.data.spans.find((s) => s.name === 'root')!;
    expect(t!.data.spans.filter((s) => s.name === 'leaf').map((s) => s.parentId)).toEqual([rootSpan.spanId, rootSpan.spanId]);
    disableTracing();
    expect(hooksOn()).toBe(false);
  });
});
