import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { useMemoryDestination, tree } from './__tests__/memory.js';
import { bindContext, captureContext, getCurrentActiveSpan, runWithContext } from './context.js';
import { trace } from '../api/trace.js';
import { withSpan } from '../api/spans.js';
import { updateCurrentTrace } from '../api/trace-updates.js';

const memory = useMemoryDestination();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('context propagation', () => {
  test('1,000 interleaved concurrent requests never mix spans', async () => {
    const lookup = trace(async function lookup(user: string, i: number) {
      await sleep((i * 7) % 5);
      return `${user}:${i}`;
    });
    const handle = trace(async function handle(user: string) {
      updateCurrentTrace({ metadata: { 'mlflow.trace.user': user } });
      const parts = await Promise.all([0, 1, 2].map((i) => lookup(user, i)));
      await sleep(user.length % 3);
      return parts.join(',');
    });
    const users = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
    const results = await Promise.all(users.map((u) => handle(u)));
    expect(results[42]).toBe('user-42:0,user-42:1,user-42:2');
    expect(memory.traces).toHaveLength(1000);
    for (const t of memory.traces) {
      const user = t.info.traceMetadata['mlflow.trace.user']!;
      const root = tree(t);
      expect(root.inputs).toEqual({ user });
      expect(root.children).toHaveLength(3);
      for (const child of root.children) expect((child.inputs as { user: string }).user).toBe(user);
      expect(new Set(t.data.spans.map((s) => s.traceId)).size).toBe(1);
    }
  });

  test('timers and event emitters keep the parent', async () => {
    const emitter = new EventEmitter();
    const seen: Array<string | undefined> = [];
    emitter.on('evt', () => seen.push(getCurrentActiveSpan()?.name));
    await withSpan(async () => {
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          seen.push(getCurrentActiveSpan()?.name);
          resolve();
        }, 1),
      );
      emitter.emit('evt');
      setImmediate(() => seen.push(getCurrentActiveSpan()?.name));
      await sleep(2);
    }, { name: 'outer' });
    expect(seen).toEqual(['outer', 'outer', 'outer']);
  });

  test('captureContext / runWithContext carry the span into work run later from a queue', async () => {
    const queue: Array<() => void> = [];
    const job = trace(function job(id: number) {
      return id;
    });
    let drained!: () => void;
    const done = new Promise<void>((r) => (drained = r));
    const producer = withSpan(async () => {
      const ctx = captureContext();
      queue.push(() => runWithContext(ctx, () => job(1)));
      queue.push(bindContext(() => job(2)));
      await done; // the producer's span stays open until the queue has run its work
    }, { name: 'producer' });
    // The worker loop runs elsewhere, outside any span.
    setTimeout(() => {
      expect(getCurrentActiveSpan()).toBeNull();
      for (const run of queue) run();
      drained();
    }, 1);
    await producer;
    expect(memory.traces).toHaveLength(1);
    expect(tree(memory.traces[0]!).children.map((c) => c.inputs)).toEqual([{ id: 1 }, { id: 2 }]);
  });

  test('work resumed after its trace was already exported starts a new trace instead of vanishing', async () => {
    let resume!: () => unknown;
    const job = trace(function job() {
      return 'late';
    });
    withSpan(() => {
      resume = bindContext(() => job());
    }, { name: 'short-lived' });
    expect(memory.traces).toHaveLength(1);
    resume();
    expect(memory.traces).toHaveLength(2);
    expect(tree(memory.traces[1]!)).toMatchObject({ name: 'job', outputs: 'late' });
  });

  test('no active span outside', () => {
    expect(getCurrentActiveSpan()).toBeNull();
  });
});
