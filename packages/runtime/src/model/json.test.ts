import { describe, expect, test } from 'vitest';
import { useMemoryDestination } from '../core/__tests__/memory.js';
import { trace } from '../api/trace.js';
import { updateCurrentTrace } from '../api/trace-updates.js';
import { withSpan } from '../api/spans.js';
import { Span } from './span.js';
import { jsonText, quotedOnce } from './json-text.js';
import { SpanLink } from './span-link.js';
import { SpanStatus } from './span-status.js';
import { SpanStatusCode } from './constants.js';
import { base64ToHex, spanFromJson, spanToJson, spanToJsonText, traceFromJsonText, traceToJsonText, traceInfoFromJson, traceInfoToJson } from './json.js';

const memory = useMemoryDestination();

describe("MLflow's JSON forms", () => {
  test('a trace round-trips through MLflow trace JSON exactly (ns timestamps included)', () => {
    trace(function answer(question: string) {
      updateCurrentTrace({ metadata: { 'mlflow.trace.user': 'alice' } });
      return withSpan(() => 'MLflow is...', { name: 'llm', spanType: 'LLM' });
    })('What is MLflow?');
    const original = memory.traces[0]!;
    const text = traceToJsonText(original);
    const back = traceFromJsonText(text);
    expect(back.info).toEqual(original.info);
    const fields = (s: Span) => new Span(s); // drop live-span internals, keep the data fields
    expect(back.data.spans.map(fields)).toEqual(original.data.spans.map(fields));
    expect(traceToJsonText(back)).toBe(text);
  });

  test('span JSON is the v3 dict: base64 ids, proto status names, JSON-encoded attributes, traceRequestId on every span', () => {
    withSpan(() => withSpan(() => 1, { name: 'child' }), { name: 'root', spanType: 'CHAIN', inputs: { q: 'x' } });
    const t = memory.traces[0]!;
    const raw = JSON.parse(traceToJsonText(t).replace(/"(start|end)_time_unix_nano":(\d+)/g, '"$1_time_unix_nano":"$2"'));
    const [root, child] = raw.data.spans;
    expect(Object.keys(root)).toEqual(['trace_id', 'span_id', 'parent_span_id', 'name', 'start_time_unix_nano', 'end_time_unix_nano', 'status', 'attributes', 'events']);
    expect(base64ToHex(root.trace_id)).toBe(t.info.traceId.slice(3));
    expect(root.parent_span_id).toBe('');
    expect(child.parent_span_id).toBe(root.span_id);
    expect(root.status).toEqual({ code: 'STATUS_CODE_OK', message: '' });
    expect(root.attributes['mlflow.spanType']).toBe('"CHAIN"');
    expect(root.attributes['mlflow.spanInputs']).toBe('{"q":"x"}');
    for (const s of raw.data.spans) expect(s.attributes['mlflow.traceRequestId']).toBe(JSON.stringify(t.info.traceId));
    const info = raw.info;
    expect(info.request_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(info.execution_duration).toMatch(/^\d+(\.\d+)?s$/);
    expect(info.trace_location).toEqual({ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: '0' } });
  });

  test('a span written field by field is exactly the generic JSON of its v3 dict', () => {
    const base = {
      traceId: 'tr-' + '0f'.repeat(16),
      spanId: 'ab'.repeat(8),
      parentId: null,
      name: 'root',
      startTimeUnixNano: 1_718_460_461_282_000_123n,
      endTimeUnixNano: 1_718_460_462_516_000_456n,
      status: new SpanStatus(SpanStatusCode.OK),
      encodedAttributes: { 'mlflow.spanType': '"CHAIN"', 'mlflow.spanInputs': '{"q":"say \\"hi\\" \\u2028 é 😀"}' },
      events: [],
    };
    const spans = [
      new Span(base),
      new Span({ ...base, parentId: 'cd'.repeat(8), name: 'a "quoted" name\n with é and 😀', endTimeUnixNano: null }),
      new Span({
        ...base,
        status: new SpanStatus(SpanStatusCode.ERROR, 'boom: "bad"'),
        events: [{ name: 'exception', timestamp: 1_718_460_462_000_000_001n, attributes: { 'exception.message': 'x', n: 3, flags: [true, false] } }],
        links: [new SpanLink({ traceId: 'tr-' + '11'.repeat(16), spanId: '22'.repeat(8), attributes: { why: 'retry' } })],
      }),
      new Span({ ...base, traceId: 'trace:/catalog.schema/' + '0f'.repeat(16) }),
      // Ids converted once per run of equal ids: a different trace and parent next, then the first again.
      new Span({ ...base, traceId: 'tr-' + '1e'.repeat(16), parentId: 'ef'.repeat(8), status: new SpanStatus(SpanStatusCode.ERROR, 'x'.repeat(300) + '"') }),
      new Span({ ...base, parentId: 'cd'.repeat(8) }),
    ];
    const base64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
    for (const span of spans) {
      const text = spanToJsonText(span);
      expect(text).toBe(jsonText(spanToJson(span)));
      const json = JSON.parse(text);
      expect([json.trace_id, json.span_id, json.parent_span_id]).toEqual([base64(span.traceId.slice(-32)), base64(span.spanId), span.parentId ? base64(span.parentId) : '']);
    }
  });

  test('quotedOnce is JSON.stringify, also for strings past what it remembers', () => {
    const samples = ['', 'root', 'a "q" \\ b', 'line\nbreak', '\ud83d', '😀', '\u2028', 'é'.repeat(300)];
    for (let i = 0; i < 5_000; i++) samples.push(`name-${i}`);
    for (let round = 0; round < 2; round++) for (const s of samples) expect(quotedOnce(s)).toBe(JSON.stringify(s));
  });

  test('TraceInfo REST JSON round trip, durations', () => {
    const info = memory.traces[0]?.info ?? traceInfoFromJson({ trace_id: 'tr-1', request_time: '2024-06-15T14:07:41.282Z', execution_duration: '1.234s', state: 'OK' });
    expect(traceInfoFromJson(traceInfoToJson(info))).toEqual(info);
    expect(traceInfoFromJson({ trace_id: 'tr-1', request_time: '2024-06-15T14:07:41.282Z', execution_duration: '1.234s', state: 'OK' })).toMatchObject({
      requestTime: Date.parse('2024-06-15T14:07:41.282Z'),
      executionDuration: 1234,
    });
  });

  test('reads v2 and v4 span dicts', () => {
    const v2 = spanFromJson({
      name: 'old', context: { trace_id: '0x' + 'ab'.repeat(16), span_id: '0x' + 'cd'.repeat(8) }, parent_id: null,
      start_time: 1718460461282000000, end_time: 1718460462516000000, status_code: 'OK', status_message: '',
      attributes: { 'mlflow.spanType': '"LLM"' }, events: [],
    });
    expect([v2.traceId, v2.spanId, v2.spanType, v2.status.statusCode]).toEqual(['tr-' + 'ab'.repeat(16), 'cd'.repeat(8), 'LLM', 'STATUS_CODE_OK']);
    const v4 = spanFromJson({
      trace_id: 'tr-' + 'ef'.repeat(16), otel_trace_id: 'ef'.repeat(16), span_id: '12'.repeat(8), parent_span_id: '34'.repeat(8),
      name: 'new', start_time_unix_nano: '1', end_time_unix_nano: '2', status: { code: 'ERROR', message: 'x' },
      attributes: { 'mlflow.spanType': 'TOOL' }, events: [],
    });
    expect([v4.traceId, v4.parentId, v4.status.statusCode, v4.spanType]).toEqual(['tr-' + 'ef'.repeat(16), '34'.repeat(8), 'STATUS_CODE_ERROR', 'TOOL']);
  });
});
