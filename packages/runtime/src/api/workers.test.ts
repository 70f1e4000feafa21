import { fileURLToPath } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';
import { describe, expect, test, vi } from 'vitest';
import { tree, useMemoryDestination } from '../core/__tests__/memory.js';
import { getCurrentActiveSpan } from '../core/context.js';
import { getTracingDiagnostics } from '../core/diagnostics.js';
import { REMOTE_PARENT_SPAN_KEY, REMOTE_PARENT_TRACE_KEY } from '../core/remote-spans.js';
import { SpanAttributeKey } from '../model/constants.js';
import type { Trace } from '../model/trace.js';
import { tracerTimers } from '../platform/timers.js';
import { setSamplingRatio } from './control.js';
import { trace } from './trace.js';
import { runInParentTrace, traceContextForWorker, type WorkerTraceContext } from './workers.js';

const memory = useMemoryDestination();
// Node 20 ignores `--import tsx` in a worker's execArgv, so a bootstrap registers tsx and
// then loads the TypeScript worker.
const BOOTSTRAP = fileURLToPath(new URL('./__tests__/tsx-worker.mjs', import.meta.url));
const WORKER_ENTRY = new URL('./__tests__/traced-worker.ts', import.meta.url).href;

interface WorkerReply {
  result: unknown;
  exportedInWorker: number;
}

function startWorker(data: { traceContext: WorkerTraceContext; scenario: string; text: string }, transferList: TransferListItem[]): Worker {
  return new Worker(BOOTSTRAP, {
    workerData: { ...data, entry: WORKER_ENTRY },
    transferList,
    execArgv: ['--conditions=@tracewright/source'],
  });
}

/** The worker's reply, or its uncaught error. */
function outcome(worker: Worker): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} before replying`)));
  });
}

/** Waits (event-loop turns, not a timed assertion) until `count` traces were exported. */
async function tracesExported(count: number): Promise<Trace[]> {
  const deadline = performance.now() + 20_000;
  while (memory.traces.length < count && performance.now() < deadline) await new Promise((r) => setImmediate(r));
  return memory.traces;
}

const handleRequest = trace(async function handleRequest(text: string) {
  const { context, transferList } = traceContextForWorker();
  const reply = await outcome(startWorker({ traceContext: context, scenario: 'nested', text }, transferList));
  return { summary: reply.result, exportedInWorker: reply.exportedInWorker };
});

describe('worker threads join the parent trace', () => {
  test('spans of a worker nest under the parent span, in ONE trace', async () => {
    const out = await handleRequest('the quick brown fox');
    expect(out).toEqual({ summary: 'long:4', exportedInWorker: 0 });
    const traces = await tracesExported(1);
    expect(traces).toHaveLength(1);
    const t = traces[0]!;
    expect(tree(t)).toEqual({
      name: 'handleRequest',
      type: 'UNKNOWN',
      status: 'OK',
      inputs: { text: 'the quick brown fox' },
      outputs: out,
      children: [
        {
          name: 'summarize',
          type: 'UNKNOWN',
          status: 'OK',
          inputs: { text: 'the quick brown fox' },
          outputs: 'long:4',
          children: [
            { name: 'tokenize', type: 'UNKNOWN', status: 'OK', inputs: { text: 'the quick brown fox' }, outputs: ['the', 'quick', 'brown', 'fox'], children: [] },
            { name: 'classify', type: 'UNKNOWN', status: 'OK', inputs: { text: 'the quick brown fox' }, outputs: 'long', children: [] },
            { name: 'format', type: 'TOOL', status: 'OK', inputs: { kind: 'long' }, outputs: 'long:4', children: [] },
          ],
        },
      ],
    });
    const root = t.data.spans.find((s) => s.parentId === null)!;
    const summarize = t.data.spans.find((s) => s.name === 'summarize')!;
    expect(summarize.parentId).toBe(root.spanId);
    for (const span of t.data.spans) {
      expect(span.traceId).toBe(t.info.traceId);
      expect(span.encodedAttributes[SpanAttributeKey.TRACE_ID]).toBe(JSON.stringify(t.info.traceId));
      expect(span.endTimeUnixNano).not.toBeNull();
    }
    // Trace updates made in the worker reach the parent's trace.
    expect(t.info.tags.summarizedBy).toBe('worker');
    expect(getTracingDiagnostics().totalErrors).toBe(0);
  });

  test('the parent trace waits for a worker it did not await', async () => {
    let worker: Worker | undefined;
    const fireAndForget = trace(function fireAndForget(text: string) {
      const { context, transferList } = traceContextForWorker();
      worker = startWorker({ traceContext: context, scenario: 'nested', text }, transferList);
      return 'started';
    });
    expect(fireAndForget('a b c')).toBe('started');
    expect(memory.traces).toHaveLength(0);
    await outcome(worker!);
    const traces = await tracesExported(1);
    await new Promise((r) => setImmediate(r));
    expect(traces).toHaveLength(1);
    expect(tree(traces[0]!)).toMatchObject({ name: 'fireAndForget', outputs: 'started', children: [{ name: 'summarize', outputs: 'short:3' }] });
  });

  test('a worker terminated before it is done releases the parent trace (no wait)', async () => {
    const cancelled = trace(async function cancelledRequest(text: string) {
      const { context, transferList } = traceContextForWorker();
      const worker = startWorker({ traceContext: context, scenario: 'wait-then-nested', text }, transferList);
      await new Promise((resolve) => worker.once('online', resolve));
      return worker.terminate();
    });
    expect(await cancelled('never')).toBe(1);
    const [t] = await tracesExported(1);
    expect(t!.data.spans.map((s) => s.name)).toEqual(['cancelledRequest']);
    expect(getTracingDiagnostics().totalErrors).toBe(0);
  });

  test('spans that ended still arrive when the worker exits with a span left open', async () => {
    const streaming = trace(async function streamingRequest(text: string) {
      const { context, transferList } = traceContextForWorker();
      return (await outcome(startWorker({ traceContext: context, scenario: 'stream-left-open', text }, transferList))).result;
    });
    expect(await streaming('tiny')).toEqual([1, 'short']);
    const [t] = await tracesExported(1);
    const byName = new Map(t!.data.spans.map((s) => [s.name, s]));
    expect(byName.get('streamingRequest')?.parentId).toBeNull();
    expect(byName.get('classify')).toMatchObject({ parentId: byName.get('streamingRequest')!.spanId, outputs: 'short' });
    // The generator's span is ended by the worker's own exit (or when its generator is collected),
    // as ERROR with the reason; whether that last message crosses the port before the worker is
    // gone is up to the platform, so it may or may not be there, but never as anything else.
    const left = byName.get('countTo');
    if (left) {
      expect(left.status.statusCode).toBe('STATUS_CODE_ERROR');
      expect(['exit', 'abandoned']).toContain(left.getAttribute('tracewright.span.unfinished'));
    }
    expect(t!.data.spans).toHaveLength(left ? 3 : 2);
  });

  test('two concurrent requests, each with its own worker, never cross spans', async () => {
    const texts = ['alpha beta', 'gamma'];
    const outs = await Promise.all(texts.map((text) => handleRequest(text)));
    expect(outs.map((o) => o.summary)).toEqual(['long:2', 'short:1']);
    const traces = await tracesExported(2);
    expect(traces).toHaveLength(2);
    for (const text of texts) {
      const t = traces.find((x) => tree(x).inputs && (tree(x).inputs as { text: string }).text === text)!;
      expect(t).toBeDefined();
      expect(t.data.spans).toHaveLength(5);
      const ids = new Set(t.data.spans.map((s) => s.spanId));
      for (const span of t.data.spans) {
        expect(span.traceId).toBe(t.info.traceId);
        if (span.parentId !== null) expect(ids.has(span.parentId)).toBe(true);
        if (span.name !== 'format' && span.name !== 'handleRequest') expect(span.inputs).toEqual({ text });
      }
    }
  });

  test('a worker that throws: its span is ERROR, the parent trace is still exported', async () => {
    const failing = trace(async function failingRequest(text: string) {
      const { context, transferList } = traceContextForWorker();
      try {
        await outcome(startWorker({ traceContext: context, scenario: 'throws', text }, transferList));
        return 'unexpected';
      } catch (error) {
        return `worker failed: ${(error as Error).message}`;
      }
    });
    expect(await failing('x')).toBe('worker failed: cannot handle x');
    const [t] = await tracesExported(1);
    expect(t!.info.state).toBe('OK');
    const explode = t!.data.spans.find((s) => s.name === 'explode')!;
    expect(explode.parentId).toBe(t!.data.spans.find((s) => s.name === 'failingRequest')!.spanId);
    expect(explode.status).toEqual({ statusCode: 'STATUS_CODE_ERROR', description: 'cannot handle x' });
    expect(explode.events[0]!.attributes['exception.type']).toBe('RangeError');
  });

  test('spans arriving after the parent trace was exported are kept as their own trace', async () => {
    // Only the orphan wait is faked (30 s); the worker and its messages are real. The tracer's
    // timers are its own (taken at load, never the program's fakes): the test hands it the fake ones.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const own = { setTimeout: tracerTimers.setTimeout, clearTimeout: tracerTimers.clearTimeout };
    tracerTimers.setTimeout = (fn, ms) => setTimeout(fn, ms);
    tracerTimers.clearTimeout = (timer) => clearTimeout(timer);
    try {
      let worker: Worker | undefined;
      const fireAndForget = trace(function fireAndForget(text: string) {
        const { context, transferList } = traceContextForWorker();
        worker = startWorker({ traceContext: context, scenario: 'wait-then-nested', text }, transferList);
        return 'started';
      });
      fireAndForget('late work');
      expect(memory.traces).toHaveLength(0); // held open for the worker...
      vi.advanceTimersByTime(30_000); // ...until the orphan wait runs out
      expect(memory.traces).toHaveLength(1);
      const parent = memory.traces[0]!;
      expect(parent.data.spans.map((s) => s.name)).toEqual(['fireAndForget']);

      const reply = outcome(worker!);
      worker!.postMessage('go');
      expect((await reply).result).toBe('long:2');
      const traces = await tracesExported(2);
      const late = traces[1]!;
      expect(tree(late)).toMatchObject({ name: 'summarize', children: [{ name: 'tokenize' }, { name: 'classify' }, { name: 'format' }] });
      expect(late.info.traceId).not.toBe(parent.info.traceId);
      for (const span of late.data.spans) expect(span.traceId).toBe(late.info.traceId);
      expect(late.info.traceMetadata[REMOTE_PARENT_TRACE_KEY]).toBe(parent.info.traceId);
      expect(late.info.traceMetadata[REMOTE_PARENT_SPAN_KEY]).toBe(parent.data.spans[0]!.spanId);
      expect(getTracingDiagnostics().errors['graft worker spans']).toBe(1);
    } finally {
      Object.assign(tracerTimers, own);
      vi.useRealTimers();
    }
  });
});

describe('runInParentTrace in-process behavior', () => {
  const work = trace(function work(n: number) {
    return n * 2;
  });

  test('a value that is not a worker trace context is a TypeError naming the problem', () => {
    expect(() => runInParentTrace({ traceId: 'tr-1' } as never, () => 1)).toThrow(
      /runInParentTrace\(context, fn\): context must be the `context` returned by traceContextForWorker\(\)/,
    );
    expect(() => runInParentTrace(undefined as never, () => 1)).toThrow(TypeError);
    const { context } = traceContextForWorker();
    expect(() => runInParentTrace(context, 'nope' as never)).toThrow(/fn must be a function, got string/);
    const damaged = { ...context, traceId: 'tr-' + '1'.repeat(32), parentSpanId: 'abc', port: {} };
    expect(() => runInParentTrace(damaged as never, () => 1)).toThrow(/context is damaged/);
  });

  test('outside any trace, the context carries none and worker spans start their own traces', () => {
    const { context, transferList } = traceContextForWorker();
    expect(context).toMatchObject({ traceId: null, sampled: true, port: null });
    expect(transferList).toEqual([]);
    expect(runInParentTrace(context, () => work(2))).toBe(4);
    expect(memory.traces.map((t) => t.data.spans[0]!.name)).toEqual(['work']);
  });

  test('a sampled-out parent makes the worker record nothing either', () => {
    setSamplingRatio(0);
    const parent = trace(function parent() {
      return traceContextForWorker().context;
    });
    const context = parent();
    expect(context).toMatchObject({ sampled: false, port: null });
    setSamplingRatio(1);
    expect(runInParentTrace(context, () => [work(1), getCurrentActiveSpan()])).toEqual([2, null]);
    expect(memory.traces).toHaveLength(0);
  });
});
