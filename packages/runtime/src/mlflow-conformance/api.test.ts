/**
 * Ported expectations of @mlflow/core's tests/core/api.test.ts (and the drop-in
 * requirements), run through the main entry against the fake MLflow server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import * as mlflow from '../index.js';
import { startFakeMlflowServer, type FakeMlflowServer } from '../exporters/testing/fake-mlflow-server.js';
import { importCompiled } from '../core/__tests__/compile.js';

const { SpanStatus, SpanStatusCode, SpanType, TraceState } = mlflow;
const hrMs = (t: readonly [number, number]) => t[0] * 1e3 + t[1] / 1e6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: FakeMlflowServer;
let client: mlflow.MlflowClient;
let experimentId: string;

async function lastTrace() {
  await mlflow.flushTraces();
  return client.getTrace(mlflow.getLastActiveTraceId()!);
}

beforeAll(async () => {
  server = await startFakeMlflowServer();
  client = new mlflow.MlflowClient({ trackingUri: server.url });
  experimentId = await client.createExperiment(`conformance-${Date.now()}`);
  mlflow.init({ trackingUri: server.url, experimentId });
});
afterAll(async () => {
  await mlflow.flushTraces();
  await client.deleteExperiment(experimentId);
  mlflow.setDestination(undefined);
  await server.close();
});
beforeEach(() => {
  mlflow.enableTracing();
});

describe('startSpan', () => {
  test('a span with inputs, outputs, attributes and status round-trips through the server', async () => {
    const span = mlflow.startSpan({ name: 'test-span' });
    expect(span).toBeInstanceOf(mlflow.LiveSpan);
    span.setInputs({ prompt: 'Hello, world!' });
    span.setOutputs({ response: 'Hello, world!' });
    span.setAttributes({ model: 'gpt-4' });
    span.setStatus('OK');
    span.end();

    await mlflow.flushTraces();
    const trace = await client.getTrace(span.traceId);
    expect(trace.info.traceId).toBe(span.traceId);
    expect(trace.info.state).toBe(TraceState.OK);
    expect(trace.info.requestTime).toBeCloseTo(hrMs(span.startTime), -1);
    expect(trace.info.executionDuration).toBeCloseTo(hrMs(span.endTime!) - hrMs(span.startTime), -1);
    expect(trace.data.spans.length).toBe(1);
    const logged = trace.data.spans[0]!;
    expect(logged.traceId).toBe(span.traceId);
    expect(logged.name).toBe('test-span');
    expect(logged.spanType).toBe(SpanType.UNKNOWN);
    expect(logged.inputs).toEqual({ prompt: 'Hello, world!' });
    expect(logged.outputs).toEqual({ response: 'Hello, world!' });
    expect(logged.attributes['model']).toBe('gpt-4');
    expect(logged.startTime).toEqual(span.startTime);
    expect(logged.endTime).toEqual(span.endTime);
    expect(logged.status?.statusCode).toBe(SpanStatusCode.OK);
  });

  test('startTimeNs / endTimeNs as numbers, status code given to end()', async () => {
    const span = mlflow.startSpan({ name: 'test-span', spanType: SpanType.LLM, inputs: { prompt: 'Hello, world!' }, attributes: { model: 'gpt-4' }, startTimeNs: 1e9 });
    span.end({ outputs: { response: 'Hello, world!' }, attributes: { model: 'gpt-4' }, status: SpanStatusCode.ERROR, endTimeNs: 3e9 });
    const trace = await lastTrace();
    expect(trace.info.traceId).toBe(span.traceId);
    expect(trace.info.state).toBe(TraceState.ERROR);
    expect(trace.info.requestTime).toBeCloseTo(1e3);
    expect(trace.info.executionDuration).toBeCloseTo(2e3);
    const logged = trace.data.spans[0]!;
    expect(logged.spanType).toBe(SpanType.LLM);
    expect(logged.inputs).toEqual({ prompt: 'Hello, world!' });
    expect(logged.outputs).toEqual({ response: 'Hello, world!' });
    expect(logged.attributes['model']).toBe('gpt-4');
    expect(logged.startTime).toEqual([1, 0]);
    expect(logged.endTime).toEqual([3, 0]);
    expect(logged.status?.statusCode).toBe(SpanStatusCode.ERROR);
  });

  test('recordException + end({ status: new SpanStatus(ERROR, msg) })', async () => {
    const span = mlflow.startSpan({ name: 'test-span-with-exception', spanType: SpanType.LLM });
    span.recordException(new Error('test-error'));
    span.end({ status: new SpanStatus(SpanStatusCode.ERROR, 'test-error') });
    await mlflow.flushTraces();
    const trace = await client.getTrace(span.traceId);
    expect(trace.info.state).toBe(TraceState.ERROR);
    expect(trace.data.spans[0]!.status?.statusCode).toBe(SpanStatusCode.ERROR);
    expect(trace.data.spans[0]!.status?.description).toBe('test-error');
  });

  test('an unrecognised status given to end() never erases a recorded error', () => {
    const span = mlflow.startSpan({ name: 'keeps-error' });
    span.recordException(new Error('boom'));
    span.end({ status: { code: 'OK' } as never });
    expect(span.status.statusCode).toBe(SpanStatusCode.ERROR);
    expect(span.status.description).toBe('boom');
  });

  test('nested spans through `parent`; an unrelated span starts its own trace', async () => {
    const parent = mlflow.startSpan({ name: 'parent-span' });
    const child1 = mlflow.startSpan({ name: 'child-span-1', parent });
    child1.end();
    const child2 = mlflow.startSpan({ name: 'child-span-2', parent });
    const child3 = mlflow.startSpan({ name: 'child-span-3', parent: child2 });
    child3.end();
    child2.end();
    const independent = mlflow.startSpan({ name: 'independent-span' });
    independent.end();
    parent.end();
    await mlflow.flushTraces();
    const t1 = await client.getTrace(independent.traceId);
    expect(t1.data.spans.map((s) => s.name)).toEqual(['independent-span']);
    const t2 = await client.getTrace(parent.traceId);
    const byName = new Map(t2.data.spans.map((s) => [s.name, s]));
    expect(t2.data.spans.length).toBe(4);
    expect(byName.get('child-span-1')!.parentId).toBe(byName.get('parent-span')!.spanId);
    expect(byName.get('child-span-2')!.parentId).toBe(byName.get('parent-span')!.spanId);
    expect(byName.get('child-span-3')!.parentId).toBe(byName.get('child-span-2')!.spanId);
  });
});

describe('withSpan', () => {
  test('without options: default name "span", return value becomes the outputs', async () => {
    const result = mlflow.withSpan((span) => {
      span.setInputs({ a: 5, b: 3 });
      return 5 + 3;
    });
    expect(result).toBe(8);
    const trace = await lastTrace();
    expect(trace.info.state).toBe(TraceState.OK);
    const logged = trace.data.spans[0]!;
    expect(logged.name).toBe('span');
    expect(logged.inputs).toEqual({ a: 5, b: 3 });
    expect(logged.outputs).toBe(8);
    expect(logged.status?.statusCode).toBe(SpanStatusCode.OK);
  });

  test('explicit outputs take precedence over the return value', async () => {
    mlflow.withSpan((span) => {
      span.setOutputs({ result: 8 });
      return 8;
    });
    expect((await lastTrace()).data.spans[0]!.outputs).toEqual({ result: 8 });
  });

  test('async callback', async () => {
    const result = await mlflow.withSpan(async (span) => {
      span.setInputs({ delay: 100 });
      await sleep(2);
      return 'async result';
    });
    expect(result).toBe('async result');
    const logged = (await lastTrace()).data.spans[0]!;
    expect(logged.inputs).toEqual({ delay: 100 });
    expect(logged.outputs).toBe('async result');
    expect(logged.status?.statusCode).toBe(SpanStatusCode.OK);
  });

  test('a sync error: rethrown, status ERROR described by the message', async () => {
    expect(() =>
      mlflow.withSpan((span) => {
        span.setInputs({ operation: 'divide by zero' });
        throw new Error('Division by zero');
      }),
    ).toThrow('Division by zero');
    const trace = await lastTrace();
    expect(trace.info.state).toBe(TraceState.ERROR);
    expect(trace.data.spans[0]!.status?.statusCode).toBe(SpanStatusCode.ERROR);
    expect(trace.data.spans[0]!.status?.description).toBe('Division by zero');
  });

  test('an async error', async () => {
    await expect(
      mlflow.withSpan(async () => {
        await sleep(1);
        throw new Error('Async error');
      }),
    ).rejects.toThrow('Async error');
    const trace = await lastTrace();
    expect(trace.info.state).toBe(TraceState.ERROR);
    expect(trace.data.spans[0]!.status?.description).toBe('Async error');
  });

  test('options: name, spanType, inputs, attributes', async () => {
    const add = (a: number, b: number) =>
      mlflow.withSpan(
        (span) => {
          span.setOutputs(a + b);
          return a + b;
        },
        { name: 'add', spanType: SpanType.TOOL, inputs: { a, b }, attributes: { operation: 'addition' } },
      );
    expect(add(10, 20)).toBe(30);
    const logged = (await lastTrace()).data.spans[0]!;
    expect(logged.name).toBe('add');
    expect(logged.spanType).toBe(SpanType.TOOL);
    expect(logged.inputs).toEqual({ a: 10, b: 20 });
    expect(logged.outputs).toEqual(30);
    expect(logged.attributes['operation']).toBe('addition');
  });

  test('async with options; attribute values keep their types', async () => {
    await mlflow.withSpan(
      async (span) => {
        await sleep(1);
        span.setAttributes({ responseTime: '10ms' });
        return { id: 'user-123' };
      },
      { name: 'fetchUserData', spanType: SpanType.RETRIEVER, inputs: { userId: 'user-123' }, attributes: { service: 'user-api', version: 1 } },
    );
    const logged = (await lastTrace()).data.spans[0]!;
    expect(logged.spanType).toBe(SpanType.RETRIEVER);
    expect(logged.attributes['service']).toBe('user-api');
    expect(logged.attributes['version']).toBe(1);
    expect(logged.attributes['responseTime']).toBe('10ms');
  });

  test('nested withSpan nests automatically', async () => {
    mlflow.withSpan(
      (parent) => {
        const childResult = mlflow.withSpan(
          (child) => {
            child.setAttributes({ nested: true });
            return 'child result';
          },
          { name: 'child', inputs: { nested: true } },
        );
        parent.setOutputs({ childResult });
        return childResult;
      },
      { name: 'parent', inputs: { operation: 'parent operation' } },
    );
    const trace = await lastTrace();
    const parent = trace.data.spans.find((s) => s.name === 'parent')!;
    const child = trace.data.spans.find((s) => s.name === 'child')!;
    expect(child.parentId).toBe(parent.spanId);
    expect(parent.outputs).toEqual({ childResult: 'child result' });
    expect(child.attributes['nested']).toBe(true);
  });

  test('a null return value is recorded as null outputs', async () => {
    expect(mlflow.withSpan(() => null)).toBeNull();
    expect((await lastTrace()).data.spans[0]!.outputs).toBe(null);
  });
});

describe('trace() wrapper', () => {
  test('sync function: name from the function, inputs by parameter name', async () => {
    const myFunc = (x: number) => x * 2;
    expect(mlflow.trace(myFunc)(5)).toBe(10);
    const trace = await lastTrace();
    expect(trace.info.state).toBe('OK');
    const logged = trace.data.spans[0]!;
    expect(logged.name).toBe('myFunc');
    expect(logged.spanType).toBe(SpanType.UNKNOWN);
    expect(logged.inputs).toEqual({ x: 5 });
    expect(logged.outputs).toEqual(10);
  });

  test('options name / spanType / attributes', async () => {
    mlflow.trace((a: number, b: number) => a + b, { name: 'custom_span_name', spanType: SpanType.LLM, attributes: { key: 'value' } })(2, 3);
    const logged = (await lastTrace()).data.spans[0]!;
    expect(logged.name).toBe('custom_span_name');
    expect(logged.spanType).toBe(SpanType.LLM);
    expect(logged.attributes['key']).toBe('value');
  });

  test('an anonymous async arrow is named "span"', async () => {
    const fn = mlflow.trace(
      async (prompt: string) => {
        await sleep(1);
        return `Response to: ${prompt}`;
      },
      { spanType: SpanType.LLM },
    );
    expect(await fn('Hello')).toBe('Response to: Hello');
    const logged = (await lastTrace()).data.spans[0]!;
    expect(logged.name).toBe('span');
    expect(logged.inputs).toEqual({ prompt: 'Hello' });
  });

  test('a throwing anonymous function: name "span", inputs {}, no outputs, ERROR', async () => {
    const errorFunc = mlflow.trace(() => {
      throw new Error('Test error');
    });
    expect(() => errorFunc()).toThrow('Test error');
    const trace = await lastTrace();
    expect(trace.info.state).toBe('ERROR');
    const logged = trace.data.spans[0]!;
    expect(logged.name).toBe('span');
    expect(logged.inputs).toEqual({});
    expect(logged.outputs).toBeUndefined();
    expect(logged.status?.statusCode).toBe(SpanStatusCode.ERROR);
  });
});

describe('getCurrentActiveSpan', () => {
  test('null outside any span', () => {
    expect(mlflow.getCurrentActiveSpan()).toBeNull();
  });
  test('the withSpan span inside withSpan; "span" inside a traced anonymous function', () => {
    mlflow.withSpan(
      (span) => {
        expect(mlflow.getCurrentActiveSpan()?.spanId).toBe(span.spanId);
        expect(mlflow.getCurrentActiveSpan()?.traceId).toBe(span.traceId);
      },
      { name: 'test-span' },
    );
    let name: string | undefined;
    mlflow.trace(() => {
      name = mlflow.getCurrentActiveSpan()?.name;
    })();
    expect(name).toBe('span');
  });
});

describe('@trace() decorator (both decorator protocols)', () => {
  const runtime = new URL('../index.ts', import.meta.url).href;
  const source = `
import * as mlflow from '${runtime}';
export class DecoratedTestClass {
  value = 42;
  @mlflow.trace()
  multiply(x: number): number { return this.value * x; }
  @mlflow.trace({ name: 'async_multiply_decorated', spanType: mlflow.SpanType.TOOL })
  async asyncMultiply(x: number): Promise<number> { await new Promise((r) => setTimeout(r, 1)); return this.value * x; }
  @mlflow.trace({ name: 'static_add_decorated', spanType: mlflow.SpanType.TOOL })
  static staticAdd(a: number, b: number): number { return a + b; }
}`;
  for (const [protocol, options] of [
    ['TC39 standard', {}],
    ['experimentalDecorators', { experimentalDecorators: true }],
  ] as const) {
    test(`${protocol}: instance, async and static methods`, async () => {
      const { DecoratedTestClass } = await importCompiled(source, options);
      expect(new DecoratedTestClass().multiply(5)).toBe(210);
      let logged = (await lastTrace()).data.spans[0]!;
      expect([logged.name, logged.inputs, logged.outputs]).toEqual(['multiply', { x: 5 }, 210]);
      expect(await new DecoratedTestClass().asyncMultiply(2)).toBe(84);
      logged = (await lastTrace()).data.spans[0]!;
      expect([logged.name, logged.spanType, logged.outputs]).toEqual(['async_multiply_decorated', 'TOOL', 84]);
      expect(DecoratedTestClass.staticAdd(1, 2)).toBe(3);
      logged = (await lastTrace()).data.spans[0]!;
      expect([logged.name, logged.inputs]).toEqual(['static_add_decorated', { a: 1, b: 2 }]);
    });
  }
});

describe('updateCurrentTrace', () => {
  test("outside a trace: MLflow's warning, nothing thrown", () => {
    const logs: string[] = [];
    mlflow.setDiagnosticLogger((m) => logs.push(m));
    try {
      expect(() => mlflow.updateCurrentTrace({ tags: { test: 'value' } })).not.toThrow();
    } finally {
      mlflow.setDiagnosticLogger((m) => console.warn(m));
    }
    expect(logs).toContain('No active trace found. Please create a span using `withSpan` or `@trace` before calling `updateCurrentTrace`.');
  });

  test('tags and metadata within withSpan reach the server', async () => {
    mlflow.withSpan(() => mlflow.updateCurrentTrace({ tags: { fruit: 'apple' }, metadata: { key: 'value' } }), { name: 'update' });
    const trace = await lastTrace();
    expect(trace.info.tags['fruit']).toBe('apple');
    expect(trace.info.traceMetadata['key']).toBe('value');
  });
});

describe('span hooks', () => {
  test('start and end hooks see every span; a throwing hook is logged once, counted, never thrown', async () => {
    const started: string[] = [];
    const ended: Array<[string, string]> = [];
    const logs: string[] = [];
    mlflow.registerOnSpanStartHook((span) => started.push(span.name));
    mlflow.registerOnSpanEndHook((span) => ended.push([span.name, span.status.statusCode]));
    mlflow.registerOnSpanEndHook(() => {
      throw new Error('hook failed');
    });
    mlflow.setDiagnosticLogger((m) => logs.push(m));
    const before = mlflow.getTracingDiagnostics().errors['span end hook'] ?? 0;
    try {
      expect(mlflow.withSpan(() => mlflow.withSpan(() => 1, { name: 'inner' }), { name: 'outer' })).toBe(1);
      mlflow.withSpan(() => 2, { name: 'again' });
    } finally {
      mlflow.setDiagnosticLogger((m) => console.warn(m));
    }
    expect(started.slice(-3)).toEqual(['outer', 'inner', 'again']);
    expect(ended.slice(-3)).toEqual([
      ['inner', 'STATUS_CODE_OK'],
      ['outer', 'STATUS_CODE_OK'],
      ['again', 'STATUS_CODE_OK'],
    ]);
    expect(mlflow.getTracingDiagnostics().errors['span end hook']).toBe(before + 3);
    expect(logs.filter((m) => m.includes('hook failed')).length).toBeLessThanOrEqual(1);
    expect((await lastTrace()).data.spans[0]!.name).toBe('again');
  });
});

describe('token usage', () => {
  test('trace.info.tokenUsage aggregates the spans’ mlflow.chat.tokenUsage', async () => {
    mlflow.withSpan(
      () => {
        mlflow.withSpan((s) => s.setAttribute(mlflow.SpanAttributeKey.TOKEN_USAGE, { input_tokens: 10, output_tokens: 5, total_tokens: 15 }), { name: 'llm1', spanType: 'LLM' });
        mlflow.withSpan((s) => s.setAttribute(mlflow.SpanAttributeKey.TOKEN_USAGE, { input_tokens: 1, output_tokens: 2, total_tokens: 3 }), { name: 'llm2', spanType: 'LLM' });
      },
      { name: 'agent' },
    );
    const trace = await lastTrace();
    expect(trace.info.tokenUsage).toEqual({ [mlflow.TokenUsageKey.INPUT_TOKENS]: 11, [mlflow.TokenUsageKey.OUTPUT_TOKENS]: 7, [mlflow.TokenUsageKey.TOTAL_TOKENS]: 18 });
    mlflow.withSpan(() => 1, { name: 'no-llm' });
    expect((await lastTrace()).info.tokenUsage).toBeNull();
  });
});

describe('MlflowClient (D.8)', () => {
  test('getHost, createTrace, uploadTraceData, getTraceInfo, getTrace', async () => {
    expect(client.getHost()).toBe(server.url);
    const span = mlflow.Span.fromJson({
      trace_id: 'rZo9DIws+6d2tejICXD4gw==',
      span_id: 'DOD2qjZ6ZrU=',
      parent_span_id: '',
      name: 'python',
      start_time_unix_nano: 1749996461282772491n,
      end_time_unix_nano: 1749996461365717111n,
      attributes: { 'mlflow.spanOutputs': '2', 'mlflow.spanType': '"LLM"', 'mlflow.spanInputs': '{"x": 1}', 'mlflow.traceRequestId': '"tr-ad9a3d0c8c2cfba776b5e8c80970f883"' },
      status: { message: '', code: 'STATUS_CODE_OK' },
      events: [],
    });
    const info = new mlflow.TraceInfo({
      traceId: 'tr-ad9a3d0c8c2cfba776b5e8c80970f883',
      traceLocation: { type: 'MLFLOW_EXPERIMENT', mlflowExperiment: { experimentId } },
      requestTime: 1749996461282,
      executionDuration: 83,
      state: 'OK',
      traceMetadata: { [mlflow.TraceMetadataKey.SCHEMA_VERSION]: mlflow.TRACE_SCHEMA_VERSION },
      tags: {},
      assessments: [],
    });
    const created = await client.createTrace(info);
    expect(created).toBeInstanceOf(mlflow.TraceInfo);
    expect(created.traceId).toBe(info.traceId);
    await client.uploadTraceData(created, new mlflow.TraceData([span]));
    const readInfo = await client.getTraceInfo(info.traceId);
    expect([readInfo.traceId, readInfo.state, readInfo.requestTime, readInfo.executionDuration]).toEqual([info.traceId, 'OK', 1749996461282, 83]);
    const trace = await client.getTrace(info.traceId);
    expect(trace.data.spans.map((s) => [s.name, s.spanType, s.inputs, s.outputs])).toEqual([['python', 'LLM', { x: 1 }, 2]]);
  });

  test('createExperiment / deleteExperiment', async () => {
    const id = await client.createExperiment('to-delete', 'mlflow-artifacts:/custom', { team: 'a' });
    expect(server.experiments.get(id)?.artifact_location).toBe('mlflow-artifacts:/custom');
    await client.deleteExperiment(id);
    expect(server.experiments.get(id)?.lifecycle_stage).toBe('deleted');
    expect(server.violations).toEqual([]);
  });
});
