/**
 * Ported expectations of @mlflow/core's entity tests (tests/core/entities/{span,span_status,
 * trace,trace_info}.test.ts) and its export list (spec D.2), through the main entry. The example
 * span is the "real MLflow data" of upstream span.test.ts, taken as a fact.
 */
import { describe, expect, test } from 'vitest';
import * as mlflow from '../index.js';
import { useMemoryDestination } from '../core/__tests__/memory.js';

const { Span, SpanStatus, SpanStatusCode, SpanType, TraceInfo, TraceData, Trace } = mlflow;
const memory = useMemoryDestination();
const toNs = (t: readonly [number, number]) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

const REAL_SPAN = {
  trace_id: 'rZo9DIws+6d2tejICXD4gw==',
  span_id: 'DOD2qjZ6ZrU=',
  trace_state: '',
  parent_span_id: '',
  name: 'python',
  start_time_unix_nano: 1749996461282772491n,
  end_time_unix_nano: 1749996461365717111n,
  attributes: {
    'mlflow.spanOutputs': '2',
    'mlflow.spanType': '"LLM"',
    'mlflow.spanInputs': '{"x": 1}',
    'mlflow.traceRequestId': '"tr-ad9a3d0c8c2cfba776b5e8c80970f883"',
    'mlflow.spanFunctionName': '"f"',
  },
  status: { message: '', code: 'STATUS_CODE_OK' },
  events: [],
};

function recordedSpan(build: (span: mlflow.LiveSpan) => void): mlflow.Span {
  mlflow.withSpan(build, { name: 'test-span', spanType: SpanType.LLM });
  return memory.traces.at(-1)!.data.spans[0]!;
}

describe('exports (D.2)', () => {
  test('every value MLflow exports from @mlflow/core exists on the main entry', () => {
    const values = ['init', 'trace', 'withSpan', 'startSpan', 'getCurrentActiveSpan', 'getLastActiveTraceId', 'updateCurrentTrace', 'tracingContext', 'flushTraces', 'MlflowClient', 'registerOnSpanStartHook', 'registerOnSpanEndHook', 'SpanStatusCode', 'SpanType', 'SpanAttributeKey', 'TraceMetadataKey', 'TraceTagKey', 'TokenUsageKey', 'TRACE_SCHEMA_VERSION', 'TRACE_ID_PREFIX', 'DEFAULT_SPAN_NAME', 'NO_OP_SPAN_TRACE_ID', 'REQUEST_RESPONSE_PREVIEW_MAX_LENGTH'];
    expect(values.filter((name) => (mlflow as Record<string, unknown>)[name] === undefined)).toEqual([]);
  });

  test('constant values', () => {
    expect([mlflow.DEFAULT_SPAN_NAME, mlflow.NO_OP_SPAN_TRACE_ID, mlflow.REQUEST_RESPONSE_PREVIEW_MAX_LENGTH, mlflow.TRACE_SCHEMA_VERSION, mlflow.TRACE_ID_PREFIX]).toEqual(['span', 'no-op-span-trace-id', 1000, '3', 'tr-']);
    expect({ ...SpanStatusCode }).toEqual({ UNSET: 'STATUS_CODE_UNSET', OK: 'STATUS_CODE_OK', ERROR: 'STATUS_CODE_ERROR' });
    expect({ ...mlflow.TokenUsageKey }).toEqual({ INPUT_TOKENS: 'input_tokens', OUTPUT_TOKENS: 'output_tokens', TOTAL_TOKENS: 'total_tokens', CACHE_READ_INPUT_TOKENS: 'cache_read_input_tokens', CACHE_CREATION_INPUT_TOKENS: 'cache_creation_input_tokens' });
    expect(Object.values(SpanType).sort()).toEqual(['AGENT', 'CHAIN', 'CHAT_MODEL', 'EMBEDDING', 'LLM', 'MEMORY', 'PARSER', 'RERANKER', 'RETRIEVER', 'TOOL', 'UNKNOWN']);
    expect(mlflow.TraceTagKey.MLFLOW_ARTIFACT_LOCATION).toBe('mlflow.artifactLocation');
    expect({ ...mlflow.SpanLogLevel }).toEqual({ DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 });
    expect([mlflow.toSpanLogLevel('info'), mlflow.toSpanLogLevel(mlflow.SpanLogLevel.ERROR)]).toEqual([20, 40]);
    expect(() => mlflow.toSpanLogLevel('LOUD')).toThrow('invalid span log level "LOUD"');
    expect(mlflow.MLFLOW_EXPERIMENT_ID_HEADER).toBe('x-mlflow-experiment-id');
  });
});

describe('SpanStatus', () => {
  test.each(['STATUS_CODE_OK', 'STATUS_CODE_ERROR', 'STATUS_CODE_UNSET'] as const)('new SpanStatus(%s, description)', (code) => {
    const status = new SpanStatus(code, 'test');
    expect([status.statusCode, status.description]).toEqual([code, 'test']);
  });
  test('toJson round trip; description defaults to ""', () => {
    const status = new SpanStatus(SpanStatusCode.ERROR, 'Something went wrong');
    expect(status.toJson()).toEqual({ status_code: SpanStatusCode.ERROR, description: 'Something went wrong' });
    const again = new SpanStatus(status.toJson().status_code, status.toJson().description);
    expect(again.toJson()).toEqual(status.toJson());
    expect(new SpanStatus(SpanStatusCode.OK).toJson()).toEqual({ status_code: SpanStatusCode.OK, description: '' });
  });
  test('setStatus takes a code and a SpanStatus; span.status is a SpanStatus', () => {
    const span = recordedSpan((s) => s.setStatus(SpanStatusCode.OK));
    expect(span.status).toBeInstanceOf(SpanStatus);
    expect(span.status.statusCode).toBe(SpanStatusCode.OK);
  });
});

describe('Span', () => {
  test('inputs, outputs and attributes read back decoded', () => {
    const span = recordedSpan((s) => {
      s.setInputs({ input: 1 });
      s.setOutputs(2);
      s.setAttribute('key', 3);
      s.setAttribute('complex', { nested: { value: 'test' } });
    });
    expect(span.inputs).toEqual({ input: 1 });
    expect(span.outputs).toBe(2);
    expect(span.getAttribute('key')).toBe(3);
    expect(span.getAttribute('complex')).toEqual({ nested: { value: 'test' } });
    expect(span.attributes['key']).toBe(3);
    expect(span.attributes['mlflow.spanType']).toBe('LLM');
  });

  test('events added with a timestamp keep it', () => {
    const span = recordedSpan((s) => s.addEvent({ name: 'test_event', timestamp: 99999n, attributes: { foo: 'bar' } }));
    const event = span.events.find((e) => e.name === 'test_event')!;
    expect(event.attributes).toEqual({ foo: 'bar' });
    expect(event.timestamp).toBe(99999n);
  });

  test('startTime / endTime are [seconds, nanoseconds]', () => {
    const span = recordedSpan(() => {});
    expect(span.startTime[0]).toBeGreaterThan(0);
    expect(toNs(span.startTime)).toBe(span.startTimeUnixNano);
    expect(toNs(span.endTime!)).toBe(span.endTimeUnixNano);
    expect(span.parentId).toBeNull();
  });

  test('circular references become "[Circular]"', () => {
    const circular: any = { name: 'test' };
    circular.self = circular;
    const value = recordedSpan((s) => s.setAttribute('circular', circular)).getAttribute('circular');
    expect(value.name).toBe('test');
    expect(value.self).toBe('[Circular]');
  });

  test('no-op span (tracing disabled): MLflow no-op trace id, nothing recorded', () => {
    mlflow.disableTracing();
    try {
      const span = mlflow.startSpan({ name: 'x' });
      expect(span.traceId).toBe('no-op-span-trace-id');
    } finally {
      mlflow.enableTracing();
    }
  });

  test('Span.fromJson reads real MLflow span data', () => {
    const span = Span.fromJson(REAL_SPAN as never);
    expect(span.traceId).toBe('tr-ad9a3d0c8c2cfba776b5e8c80970f883');
    expect(span.spanId).toBe('0ce0f6aa367a66b5');
    expect(span.name).toBe('python');
    expect(span.spanType).toBe(SpanType.LLM);
    expect(toNs(span.startTime)).toBe(1749996461282772491n);
    expect(toNs(span.endTime!)).toBe(1749996461365717111n);
    expect(span.parentId).toBeNull();
    expect(span.status.statusCode).toBe(SpanStatusCode.OK);
    expect(span.status.description).toBe('');
    expect(span.inputs).toStrictEqual({ x: 1 });
    expect(span.outputs).toBe(2);
    expect(span.events).toEqual([]);
  });

  test('toJson: MLflow span dict shape, status code, bigint times; round trip', () => {
    const original = recordedSpan((s) => {
      s.setInputs({ input: 'test', number: 42 });
      s.setOutputs({ result: 'success', count: 100 });
      s.setAttribute('custom.attribute', 'custom_value');
      s.setAttribute('numeric.attribute', 123);
      s.setStatus(SpanStatusCode.OK);
    });
    const json = original.toJson();
    expect(json.name).toBe('test-span');
    expect(json.parent_span_id).toBe('');
    expect(json.status.code).toBe('STATUS_CODE_OK');
    expect(typeof json.start_time_unix_nano).toBe('bigint');
    expect(typeof json.end_time_unix_nano).toBe('bigint');
    const back = Span.fromJson(json);
    expect([back.name, back.parentId, back.startTime, back.endTime, back.status.statusCode]).toEqual([original.name, original.parentId, original.startTime, original.endTime, original.status.statusCode]);
    expect(back.attributes).toEqual(original.attributes);
    expect(back.events).toEqual(original.events);
  });

  test('intentional difference: toJson writes attribute values JSON-encoded (MLflow TS writes them decoded)', () => {
    const json = recordedSpan((s) => s.setInputs({ x: 1 })).toJson();
    expect(json.attributes['mlflow.spanInputs']).toBe('{"x":1}');
    expect(json.attributes['mlflow.spanType']).toBe('"LLM"');
  });
});

describe('TraceInfo / Trace', () => {
  const info = () =>
    new TraceInfo({
      traceId: 'tr-12345',
      clientRequestId: 'client-request-id',
      traceLocation: { type: 'MLFLOW_EXPERIMENT', mlflowExperiment: { experimentId: 'exp-123' } },
      requestTime: 1000,
      state: 'OK',
      executionDuration: 500,
      requestPreview: '{"prompt": "Hello"}',
      responsePreview: '{"response": "Hi there"}',
      traceMetadata: { key: 'value' },
      tags: { env: 'test' },
      assessments: [],
    });

  test('TraceInfo is a class with every property', () => {
    const i = info();
    expect(i).toBeInstanceOf(TraceInfo);
    expect([i.traceId, i.traceLocation.mlflowExperiment.experimentId, i.requestTime, i.state, i.requestPreview, i.responsePreview, i.clientRequestId, i.executionDuration, i.traceMetadata['key'], i.tags['env'], i.assessments]).toEqual([
      'tr-12345', 'exp-123', 1000, 'OK', '{"prompt": "Hello"}', '{"response": "Hi there"}', 'client-request-id', 500, 'value', 'test', [],
    ]);
    expect(new TraceInfo({ traceId: 'tr-1', traceLocation: i.traceLocation, requestTime: 1, state: 'OK' }).tags).toEqual({});
  });

  test('tokenUsage: null without usage metadata, decoded with it', () => {
    expect(info().tokenUsage).toBeNull();
    const withUsage = new TraceInfo({ ...info(), traceMetadata: { 'mlflow.trace.tokenUsage': '{"input_tokens":1,"output_tokens":2,"total_tokens":3}' } });
    expect(withUsage.tokenUsage).toEqual({ input_tokens: 1, output_tokens: 2, total_tokens: 3 });
  });

  test('new Trace(info, data): toJson shape and fromJson round trip', () => {
    const span = recordedSpan(() => {});
    const data = new TraceData([span]);
    const t = new Trace(info(), data);
    expect(t.info).toBeInstanceOf(TraceInfo);
    expect(t.data).toBe(data);
    const json = t.toJson();
    expect(json.info).toMatchObject({ trace_id: 'tr-12345', request_time: expect.any(String), state: 'OK' });
    expect(json.data.spans[0]).toMatchObject({ name: 'test-span', parent_span_id: '', status: { code: 'STATUS_CODE_OK' }, events: [] });
    expect(typeof json.data.spans[0]!.start_time_unix_nano).toBe('bigint');
    const back = Trace.fromJson(json);
    expect(back).toBeInstanceOf(Trace);
    expect(back.info).toBeInstanceOf(TraceInfo);
    expect(back.data).toBeInstanceOf(TraceData);
    expect(back.toJson()).toEqual(json);
    expect(JSON.parse(JSON.stringify(back))).toEqual(JSON.parse(JSON.stringify(t)));
  });

  test('the spec example TraceInfo JSON round-trips exactly', () => {
    const json = {
      trace_id: 'tr-4bf92f3577b34da6a3ce929d0e0e4736',
      trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: '1' } },
      request_preview: '{"question": "What is MLflow?"}',
      response_preview: '"MLflow is an open source platform..."',
      request_time: '2024-06-15T14:07:41.282Z',
      execution_duration: '1.234s',
      state: 'OK',
      trace_metadata: { 'mlflow.trace_schema.version': '3', 'mlflow.trace.tokenUsage': '{"input_tokens":12,"output_tokens":40,"total_tokens":52}' },
      tags: { 'mlflow.traceName': 'answer_question' },
      assessments: [],
    };
    const i = TraceInfo.fromJson(json as never);
    expect([i.requestTime, i.executionDuration, i.tokenUsage?.total_tokens]).toEqual([Date.parse('2024-06-15T14:07:41.282Z'), 1234, 52]);
    expect(i.toJson()).toEqual(json);
  });
});
