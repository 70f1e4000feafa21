/**
 * The flush helpers against a loopback MLflow server: the moment the platform would freeze or
 * end the instance (the Lambda handler's promise settles; every promise handed to waitUntil
 * settles), every trace of the request is already at the server — for a plain answer, a
 * streamed body consumed after the handler returned, and a throw. Values, errors and `this`
 * reach the caller unchanged.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setDestination, trace } from '../index.js';
import { startFakeMlflowServer, type FakeMlflowServer } from '../exporters/testing/fake-mlflow-server.js';
import { createMlflowDestination, type MlflowDestination } from '../exporters/mlflow/index.js';
import { settleTraces, withTraceFlush, withTraceFlushBeforeReturn, flushTracesWith } from './index.js';

let server: FakeMlflowServer;
let destination: MlflowDestination;

beforeAll(async () => {
  server = await startFakeMlflowServer();
  // A long batch delay: without the helpers' flush nothing would be sent within the test.
  destination = createMlflowDestination({ trackingUri: server.url, delivery: { batchDelayMs: 60_000 } });
  setDestination(destination);
});
afterAll(async () => {
  setDestination(undefined);
  await destination.shutdown();
  await server.close();
});
beforeEach(() => server.traces.clear());

const rootNames = () => [...server.traces.values()].filter((t) => t.started).map((t) => t.spans.find((s) => s.parentSpanIdHex === null)?.name).sort();

const answer = trace(async function answer(q: string) {
  await new Promise((r) => setTimeout(r, 5));
  return { answer: q.toUpperCase() };
});
const explode = trace(async function explode(q: string): Promise<never> {
  throw new Error(`no answer for ${q}`);
});
const words = trace(async function* words(text: string) {
  for (const w of text.split(' ')) {
    await new Promise((r) => setTimeout(r, 5));
    yield w;
  }
});

describe('withTraceFlushBeforeReturn (Lambda-style handlers)', () => {
  it('the trace is at the server when the handler resolves; the value and `this` are the handler’s', async () => {
    const self = { tag: 'ctx' };
    const handler = withTraceFlushBeforeReturn(async function (this: unknown, event: { q: string }) {
      expect(this).toBe(self);
      return answer(event.q);
    });
    const result = await handler.call(self, { q: 'tide' });
    expect(result).toEqual({ answer: 'TIDE' });
    expect(rootNames()).toEqual(['answer']);
  });

  it('a throwing handler rejects with its own error, after the trace was delivered', async () => {
    const handler = withTraceFlushBeforeReturn(async (event: { q: string }) => explode(event.q));
    const error = await handler({ q: 'storm' }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('no answer for storm');
    expect(server.traces.size).toBe(1);
    expect([...server.traces.values()][0]!.info.state).toBe('ERROR');
  });

  it('rejects a non-function with a clear error', () => {
    expect(() => withTraceFlushBeforeReturn(42 as never)).toThrow(/expected the handler function/);
  });
});

/** A Workers ExecutionContext: what waitUntil was given, settled like the platform does. */
function executionContext() {
  const pending: Promise<unknown>[] = [];
  return {
    ctx: { waitUntil: (p: Promise<unknown>) => void pending.push(p) },
    allSettled: () => Promise.allSettled(pending),
    pending,
  };
}

/** A Response streaming the traced generator's words; cancelling the body returns the generator. */
function streamedWords(text: string): Response {
  const it = words(text);
  const body = new ReadableStream<string>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await it.return(undefined);
    },
  });
  return new Response(body.pipeThrough(new TextEncoderStream()));
}

describe('withTraceFlush (Cloudflare Workers handler object)', () => {
  it('answers with the same status, headers and body; waitUntil settles only once the trace is delivered', async () => {
    const response = new Response('x', { status: 201, headers: { 'x-answer': 'yes' } });
    const worker = withTraceFlush({
      async fetch(request: Request) {
        await answer(new URL(request.url).searchParams.get('q')!);
        return response;
      },
      notAHandler: 7,
    });
    const { ctx, allSettled, pending } = executionContext();
    const answered = await worker.fetch(new Request('http://w/?q=sea'), {}, ctx);
    expect([answered.status, answered.headers.get('x-answer'), await answered.text()]).toEqual([201, 'yes', 'x']);
    expect(worker.notAHandler).toBe(7);
    expect(pending).toHaveLength(1);
    await allSettled();
    expect(rootNames()).toEqual(['answer']);
  });

  it('a streamed body: the flush waits until the platform has consumed it', async () => {
    const worker = withTraceFlush({ fetch: () => streamedWords('one two three') });
    const { ctx, allSettled } = executionContext();
    const response = worker.fetch(new Request('http://w/'), {}, ctx);
    const settled = allSettled();
    // The platform reads the body after the handler returned; the flush must wait for it.
    expect(await response.text()).toBe('onetwothree');
    await settled;
    expect(rootNames()).toEqual(['words']);
  });

  it('a streamed body the client cancels: the span ends and the flush still completes', async () => {
    const worker = withTraceFlush({ fetch: () => streamedWords('one two three four') });
    const { ctx, allSettled } = executionContext();
    const reader = worker.fetch(new Request('http://w/'), {}, ctx).body!.getReader();
    await reader.read();
    await reader.cancel('client went away');
    await allSettled();
    expect(rootNames()).toEqual(['words']);
  });

  it('a handler that throws synchronously throws the same error; the flush is still handed over', async () => {
    const boom = new Error('sync boom');
    const fail = trace(function fail(): never {
      throw boom;
    });
    const worker = withTraceFlush({
      fetch() {
        return fail();
      },
    });
    const { ctx, allSettled, pending } = executionContext();
    expect(() => worker.fetch(new Request('http://w/'), {}, ctx)).toThrow(boom);
    expect(pending).toHaveLength(1);
    await allSettled();
    expect(rootNames()).toEqual(['fail']);
  });
});

describe('flushTracesWith (Vercel waitUntil, Next.js after)', () => {
  it('hands a promise that settles once traces in progress ended and were delivered', async () => {
    const given: Promise<unknown>[] = [];
    const running = answer('reef');
    flushTracesWith((p) => given.push(p));
    await Promise.all(given);
    expect(await running).toEqual({ answer: 'REEF' });
    expect(rootNames()).toEqual(['answer']);
  });

  it('rejects bad input with a clear error', async () => {
    expect(() => flushTracesWith(undefined as never)).toThrow(/expected a function taking a promise/);
    await expect(settleTraces({ maxWaitMs: -1 })).rejects.toThrow(/maxWaitMs/);
  });
});
