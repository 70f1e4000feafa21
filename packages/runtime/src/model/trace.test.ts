/**
 * Issue 12 item 17 / issue 14 item 7: what readers return can be written with JSON.stringify
 * and reads back: `toJson()` / static `fromJson()` on Span, Trace, TraceInfo, TraceData, and
 * `toJSON()` delegating to `toJson()` — MLflow's trace JSON (spec §2, §3), from every reader.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { Trace } from '../api/decorator.js';
import { trace } from '../api/trace.js';
import { updateCurrentTrace } from '../api/trace-updates.js';
import { withSpan } from '../api/spans.js';
import { flushTraces, setDestination } from '../api/control.js';
import { useMemoryDestination } from '../core/__tests__/memory.js';
import { createMlflowDestination, type MlflowDestination } from '../exporters/mlflow/index.js';
import { startFakeMlflowServer, type FakeMlflowServer } from '../exporters/testing/fake-mlflow-server.js';
import { LocalStoreDestination } from '../store/local-destination.js';
import { LocalTraceStore } from '../store/local-store.js';
import { parseJsonWithBigTimes, traceToJsonText } from './json.js';
import { Span } from './span.js';
import { TraceData, TraceInfo, type TraceEntity } from './trace.js';
import { tempDir } from '../../../../test-support/temp-dir.js';

const memory = useMemoryDestination();

function recordTrace(): TraceEntity {
  trace(function answer(question: string) {
    updateCurrentTrace({ metadata: { 'mlflow.trace.user': 'alice' }, tags: { env: 'test' } });
    withSpan((span) => span.addEvent({ name: 'chunk', attributes: { index: 1 } }), { name: 'stream' });
    try {
      trace(function failing() {
        throw new TypeError('boom');
      })();
    } catch {
      // recorded on the span
    }
    return withSpan(() => 'MLflow is...', { name: 'llm', spanType: 'LLM', inputs: { big: 2n ** 70n } });
  })('What is MLflow?');
  return memory.traces.at(-1)!;
}

/** Exact text form, the reference every other form is checked against. */
const exact = (t: { info: any; data: { spans: Span[] } }) => traceToJsonText(t);

describe('JSON.stringify of traces and spans', () => {
  test('a trace from getTrace-style readers stringifies to MLflow trace JSON (it threw on BigInt before)', () => {
    const t = recordTrace();
    const text = JSON.stringify(t);
    // Same document as the exact writer, up to how JSON numbers > 2^53 are read back.
    expect(JSON.parse(text)).toEqual(JSON.parse(exact(t)));
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual(['info', 'data']);
    expect(Object.keys(doc.info)).toEqual(expect.arrayContaining(['trace_id', 'trace_location', 'request_time', 'execution_duration', 'state', 'trace_metadata', 'tags', 'assessments']));
    expect(doc.info.request_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(doc.info.execution_duration).toMatch(/^\d+(\.\d+)?s$/);
    expect(doc.info.trace_metadata['mlflow.trace.user']).toBe('alice');
    const spans = doc.data.spans as any[];
    expect(spans.map((s) => s.name).sort()).toEqual(['answer', 'failing', 'llm', 'stream']);
    for (const s of spans) {
      expect(Object.keys(s)).toEqual(['trace_id', 'span_id', 'parent_span_id', 'name', 'start_time_unix_nano', 'end_time_unix_nano', 'status', 'attributes', 'events']);
      expect(typeof s.start_time_unix_nano).toBe('number');
      expect(s.attributes['mlflow.traceRequestId']).toBe(JSON.stringify(t.info.traceId));
    }
    const failing = spans.find((s) => s.name === 'failing');
    expect(failing.status).toEqual({ code: 'STATUS_CODE_ERROR', message: expect.stringContaining('boom') });
    expect(spans.find((s) => s.name === 'stream').events[0]).toMatchObject({ name: 'chunk', attributes: { index: 1 } });
  });

  test('spans, live spans, infos and span lists stringify; pages of search results too', async () => {
    let live = '';
    withSpan((span) => {
      live = JSON.stringify(span);
    }, { name: 'open' });
    expect(JSON.parse(live)).toMatchObject({ name: 'open', end_time_unix_nano: null, parent_span_id: '' });
    const t = recordTrace();
    expect(JSON.parse(JSON.stringify(t.data.spans[0]))).toEqual(JSON.parse(exact(t)).data.spans[0]);
    expect(JSON.parse(JSON.stringify(t.info))).toEqual(JSON.parse(exact(t)).info);
    expect(JSON.parse(JSON.stringify(t.data))).toEqual(JSON.parse(exact(t)).data);
    const page = await memory.searchTraces({ includeSpans: false });
    expect(JSON.parse(JSON.stringify(page)).traces[0].data).toEqual({ spans: [] });
  });
});

describe('toJson / fromJson round trips', () => {
  test('Trace, TraceInfo, TraceData and Span: the object form keeps ns times exact (bigint)', () => {
    const t = recordTrace();
    const json = t.toJson();
    expect(typeof json.data.spans[0]!.start_time_unix_nano).toBe('bigint');
    const back = Trace.fromJson(json);
    expect(exact(back)).toBe(exact(t));
    expect(back.toJson()).toEqual(json);
    expect(TraceInfo.fromJson(t.info.toJson())).toEqual(t.info);
    expect(TraceData.fromJson(t.data.toJson()).toJson()).toEqual(t.data.toJson());
    const span = t.data.spans.find((s) => s.name === 'llm')!;
    const spanBack = Span.fromJson(span.toJson());
    expect(spanBack).toBeInstanceOf(Span);
    expect(spanBack.toJson()).toEqual(span.toJson());
    expect(spanBack.inputs).toEqual({ big: (2n ** 70n).toString() });
  });

  test('fromJson takes the JSON text (exact) and JSON.parse output (times within a microsecond)', () => {
    const t = recordTrace();
    expect(exact(Trace.fromJson(exact(t)))).toBe(exact(t));
    const viaStringify = Trace.fromJson(JSON.parse(JSON.stringify(t)));
    expect(viaStringify.info).toEqual(t.info);
    viaStringify.data.spans.forEach((s, i) => {
      const o = t.data.spans[i]!;
      expect([s.name, s.spanId, s.parentId, s.status, s.attributes]).toEqual([o.name, o.spanId, o.parentId, o.status, o.attributes]);
      const drift = s.startTimeUnixNano - o.startTimeUnixNano;
      expect(drift < 1000n && drift > -1000n).toBe(true);
    });
  });

  test("the spec's example span (v3 dict) and TraceInfo round-trip to the same JSON", () => {
    const spanText =
      '{"trace_id":"S/kvNXezTaajzpKdDg5HNg==","span_id":"APBnqgupArc=","parent_span_id":null,"name":"answer_question",' +
      '"start_time_unix_nano":1718460461282000000,"end_time_unix_nano":1718460462516000000,"status":{"code":"STATUS_CODE_OK","message":""},' +
      '"attributes":{"mlflow.traceRequestId":"\\"tr-4bf92f3577b34da6a3ce929d0e0e4736\\"","mlflow.spanType":"\\"CHAIN\\"",' +
      '"mlflow.spanInputs":"{\\"question\\": \\"What is MLflow?\\"}","mlflow.spanOutputs":"\\"MLflow is an open source platform...\\"",' +
      '"mlflow.spanFunctionName":"\\"answer_question\\""},"events":[]}';
    const span = Span.fromJson(spanText);
    expect([span.traceId, span.spanId, span.spanType, span.inputs]).toEqual(['tr-4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 'CHAIN', { question: 'What is MLflow?' }]);
    expect(span.toJson().start_time_unix_nano).toBe(1718460461282000000n);
    // Python writes a root's parent as null, MLflow TS (and we) as '': readers take both.
    const written = spanText.replace('"parent_span_id":null', '"parent_span_id":""');
    expect(traceToJsonText({ info: TraceInfo.fromJson(INFO), data: new TraceData([span]) })).toBe(`{"info":${JSON.stringify(INFO)},"data":{"spans":[${written}]}}`);
  });
});

const INFO = {
  trace_id: 'tr-4bf92f3577b34da6a3ce929d0e0e4736',
  trace_location: { type: 'MLFLOW_EXPERIMENT' as const, mlflow_experiment: { experiment_id: '1' } },
  request_time: '2024-06-15T14:07:41.282Z',
  state: 'OK' as const,
  trace_metadata: { 'mlflow.trace_schema.version': '3', 'mlflow.trace.user': 'alice' },
  tags: { 'mlflow.traceName': 'answer_question' },
  assessments: [],
  request_preview: '{"question": "What is MLflow?"}',
  response_preview: '"MLflow is an open source platform..."',
  execution_duration: '1.234s',
};

describe('every reader returns entities', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    setDestination(undefined);
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  const check = async (reader: { getTrace(id: string): Promise<TraceEntity | undefined>; searchTraces(o?: any): Promise<{ traces: TraceEntity[] }> }, id: string) => {
    const got = (await reader.getTrace(id))!;
    expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(exact(got)));
    expect(exact(Trace.fromJson(got.toJson()))).toBe(exact(got));
    for (const includeSpans of [true, false]) {
      const { traces } = await reader.searchTraces({ experimentIds: [got.info.traceLocation.mlflowExperiment.experimentId], includeSpans });
      expect(traces.length).toBeGreaterThan(0);
      for (const t of traces) expect(JSON.parse(JSON.stringify(t)).info.trace_id).toBe(t.info.traceId);
    }
    return got;
  };

  test('in-memory destination', async () => {
    const t = recordTrace();
    expect(await check(memory, t.info.traceId)).toBe(t);
  });

  test('local store (destination and a separate reader)', async () => {
    const root = join(tempDir('tw-entities-'), 'mlruns');
    const local = new LocalStoreDestination(root);
    cleanup.push(() => local.shutdown());
    setDestination(local);
    trace(function stored(x: number) {
      return x * 2;
    })(21);
    await flushTraces();
    const [id] = (await local.searchTraces()).traces.map((t) => t.info.traceId);
    const viaDestination = await check(local, id!);
    const store = LocalTraceStore.open(root);
    cleanup.push(() => store.close());
    expect(exact(await check(store, id!))).toBe(exact(viaDestination));
  });

  test('MLflow server reader (fake server on 127.0.0.1)', async () => {
    const server: FakeMlflowServer = await startFakeMlflowServer();
    cleanup.push(() => server.close());
    const mlflow: MlflowDestination = createMlflowDestination({ trackingUri: server.url, experimentName: 'entities' });
    cleanup.push(() => mlflow.shutdown());
    setDestination(mlflow);
    trace(function remote(q: string) {
      return q.toUpperCase();
    })('x');
    await flushTraces();
    const [id] = [...server.traces.keys()];
    const got = await check(mlflow, id!);
    expect(got.data.spans.map((s) => s.name)).toEqual(['remote']);
  });
});
