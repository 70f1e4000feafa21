/**
 * The rest of the MLflow TS SDK drop-in (issue 14): InMemoryTraceManager
 * (core/trace_manager.ts), SpanLink / span.addLink (core/entities/span_link.ts, span.ts),
 * mlflow.spanLogLevel recording (core/log_level.ts, span.ts), the no-op span's ids, and
 * calculateCostByModelAndTokenUsage (core/utils/model_pricing.ts) on its own subpath.
 * Facts from mlflow/mlflow libs/typescript/core/src; expectations written here.
 */
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import * as mlflow from '../index.js';
import { calculateCostByModelAndTokenUsage, createCostCalculator } from '@tracewright/runtime/cost';

const { InMemoryTraceManager, SpanLink, SpanLogLevel, SpanType, NO_OP_SPAN_TRACE_ID } = mlflow;
const destination = new mlflow.InMemoryDestination();

beforeEach(() => {
  mlflow.enableTracing();
  mlflow.setDestination(destination);
  destination.clear();
});
afterAll(() => {
  mlflow.setDestination(undefined);
});

const exported = (traceId: string) => destination.traces.find((t) => t.info.traceId === traceId);

describe('InMemoryTraceManager', () => {
  test('getInstance is a singleton; reset() makes the next call build a new one', () => {
    const a = InMemoryTraceManager.getInstance();
    expect(InMemoryTraceManager.getInstance()).toBe(a);
    InMemoryTraceManager.reset();
    expect(InMemoryTraceManager.getInstance()).not.toBe(a);
  });

  test('sees the in-progress trace: getTrace / getSpan / getMlflowTraceIdFromOtelId, gone once exported', async () => {
    const manager = InMemoryTraceManager.getInstance();
    let seen: { traceId: string; rootId: string; childId: string } | undefined;
    const traceId = await mlflow.withSpan(
      async (root) => {
        await mlflow.withSpan(
          (child) => {
            const trace = manager.getTrace(root.traceId)!;
            expect(trace).not.toBeNull();
            expect([...trace.spanDict.keys()]).toEqual([root.spanId, child.spanId]);
            expect(trace.spanDict.get(child.spanId)).toBe(child);
            expect(trace.info.traceId).toBe(root.traceId);
            expect(trace.info.tags['mlflow.traceName']).toBe('root');
            // the same span object, by MLflow id and by OTel (hex) id
            expect(manager.getSpan(root.traceId, child.spanId)).toBe(child);
            const hex = root.traceId.slice('tr-'.length);
            expect(manager.getSpan(hex, root.spanId)).toBe(root);
            expect(manager.getMlflowTraceIdFromOtelId(hex)).toBe(root.traceId);
            seen = { traceId: root.traceId, rootId: root.spanId, childId: child.spanId };
          },
          { name: 'child' },
        );
        return root.traceId;
      },
      { name: 'root' },
    );
    expect(seen).toBeDefined();
    expect(manager.lastActiveTraceId).toBe(traceId);
    expect(exported(traceId)).toBeDefined();
    expect(manager.getTrace(traceId)).toBeNull();
    expect(manager.getSpan(traceId, seen!.rootId)).toBeNull();
    expect(manager.getMlflowTraceIdFromOtelId(traceId.slice(3))).toBeNull();
  });

  test('lookups of unknown or missing ids return null, never throw', () => {
    const manager = InMemoryTraceManager.getInstance();
    expect(manager.getTrace('tr-' + '0'.repeat(32))).toBeNull();
    expect(manager.getSpan(null, 'abc')).toBeNull();
    expect(manager.getSpan('tr-x', undefined)).toBeNull();
    expect(manager.popTrace('f'.repeat(32))).toBeNull();
    expect(manager.popTrace(42 as unknown as string)).toBeNull();
  });

  test('a continued distributed trace is seen once it has begun a span, with the remote span as parent', () => {
    const manager = InMemoryTraceManager.getInstance();
    const hex = '4bf92f3577b34da6a3ce929d0e0e4736';
    const traceparent = `00-${hex}-00f067aa0ba902b7-01`;
    mlflow.withTracingContextFromHeaders({ traceparent }, () => {
      expect(manager.getTrace(hex)).toBeNull(); // nothing recorded here yet
      expect(manager.popTrace(hex)).toBeNull();
      mlflow.withSpan((span) => {
        expect(manager.getMlflowTraceIdFromOtelId(hex)).toBe('tr-' + hex);
        expect(manager.getSpan(hex, span.spanId)?.parentId).toBe('00f067aa0ba902b7');
      }, { name: 'server' });
    });
  });

  test('popTrace hands the trace to the caller and it is then not exported', async () => {
    const manager = InMemoryTraceManager.getInstance();
    const root = mlflow.startSpan({ name: 'popped', inputs: { q: 1 } });
    const popped = manager.popTrace(root.traceId.slice(3))!;
    expect(popped.info.traceId).toBe(root.traceId);
    expect(popped.data.spans.map((s) => s.name)).toEqual(['popped']);
    expect(manager.getTrace(root.traceId)).toBeNull();
    expect(manager.popTrace(root.traceId)).toBeNull();
    root.end({ outputs: 2 });
    await mlflow.flushTraces();
    expect(exported(root.traceId)).toBeUndefined();
    // a later trace is unaffected
    const next = mlflow.startSpan({ name: 'next' });
    next.end();
    await mlflow.flushTraces();
    expect(exported(next.traceId)).toBeDefined();
  });
});

describe('SpanLink / addLink', () => {
  test('links are recorded, copied, and written as {trace_id, span_id, attributes} (null when empty)', async () => {
    const other = 'tr-' + 'ab'.repeat(16);
    const attrs = { 'link.type': 'follows_from' };
    const span = mlflow.startSpan({ name: 'linked' });
    span.addLink(new SpanLink({ traceId: other, spanId: '0123456789abcdef', attributes: attrs }));
    span.addLink(new SpanLink({ traceId: other, spanId: 'fedcba9876543210' }));
    attrs['link.type'] = 'changed later';
    span.end();
    span.addLink(new SpanLink({ traceId: other, spanId: '1111111111111111' })); // after end: ignored
    const json = span.toJson();
    expect(json.links).toEqual([
      { trace_id: other, span_id: '0123456789abcdef', attributes: { 'link.type': 'follows_from' } },
      { trace_id: other, span_id: 'fedcba9876543210', attributes: null },
    ]);
    const back = mlflow.Span.fromJson(JSON.parse(JSON.stringify(json, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))));
    expect(back.links.map((l) => [l.traceId, l.spanId, l.attributes])).toEqual([
      [other, '0123456789abcdef', { 'link.type': 'follows_from' }],
      [other, 'fedcba9876543210', {}],
    ]);
    await mlflow.flushTraces();
    expect(exported(span.traceId)!.data.spans[0].links).toHaveLength(2);
  });

  test('a span without links writes no links key (stored traces stay as they were)', () => {
    const span = mlflow.startSpan({ name: 'plain' });
    span.end();
    expect('links' in span.toJson()).toBe(false);
    expect(span.links).toEqual([]);
  });

  test('bad SpanLink input is a clear error; a bad link given to addLink never throws into the program', () => {
    expect(() => new SpanLink({ traceId: '', spanId: 'x' })).toThrow(/traceId must be a non-empty string/);
    expect(() => new SpanLink({ traceId: 'tr-1', spanId: 7 as unknown as string })).toThrow(/spanId must be a non-empty string, got number/);
    const span = mlflow.startSpan({ name: 'bad link' });
    expect(() => span.addLink({ traceId: 'tr-1' } as never)).not.toThrow();
    expect(span.links).toEqual([]);
    span.end();
  });
});

describe('mlflow.spanLogLevel', () => {
  const level = (span: mlflow.LiveSpan) => span.getAttribute('mlflow.spanLogLevel');

  test('defaults at end from the final span type: INFO for model/tool/retriever/agent/embedding, DEBUG otherwise', () => {
    const cases: Array<[mlflow.SpanType, number]> = [
      [SpanType.LLM, 20], [SpanType.CHAT_MODEL, 20], [SpanType.TOOL, 20], [SpanType.RETRIEVER, 20],
      [SpanType.AGENT, 20], [SpanType.EMBEDDING, 20], [SpanType.CHAIN, 10], [SpanType.UNKNOWN, 10], [SpanType.PARSER, 10],
    ];
    for (const [spanType, expected] of cases) {
      const span = mlflow.startSpan({ name: spanType, spanType: SpanType.CHAIN });
      span.setSpanType(spanType);
      expect(level(span)).toBeUndefined();
      span.end();
      expect([spanType, level(span), span.logLevel]).toEqual([spanType, expected, expected]);
      expect(span.encodedAttributes['mlflow.spanLogLevel']).toBe(String(expected));
    }
  });

  test('setLogLevel takes a level or its name; an exception raises it to ERROR but keeps CRITICAL', () => {
    const a = mlflow.startSpan({ name: 'a', spanType: SpanType.LLM });
    a.setLogLevel('warning');
    a.end();
    expect(a.logLevel).toBe(SpanLogLevel.WARNING);

    const b = mlflow.startSpan({ name: 'b', spanType: SpanType.LLM });
    b.recordException(new Error('boom'));
    b.end();
    expect(b.logLevel).toBe(SpanLogLevel.ERROR);

    const c = mlflow.startSpan({ name: 'c' });
    c.setLogLevel(SpanLogLevel.CRITICAL);
    c.addEvent({ name: 'exception', attributes: { 'exception.message': 'x' } });
    c.end();
    expect(c.logLevel).toBe(SpanLogLevel.CRITICAL);
  });

  test('an invalid level is ignored, not thrown', () => {
    const span = mlflow.startSpan({ name: 'd', spanType: SpanType.TOOL });
    expect(() => span.setLogLevel('loud')).not.toThrow();
    span.end();
    expect(span.logLevel).toBe(SpanLogLevel.INFO);
    expect(mlflow.defaultLogLevelForSpanType(undefined)).toBe(SpanLogLevel.DEBUG);
  });
});

describe('no-op span', () => {
  test("while tracing is disabled the span has MLflow's no-op ids: trace id NO_OP_SPAN_TRACE_ID, span id ''", () => {
    mlflow.disableTracing();
    const span = mlflow.withSpan((s) => s, { name: 'off' });
    expect(span.traceId).toBe(NO_OP_SPAN_TRACE_ID);
    expect(span.spanId).toBe('');
    expect(span.isRecording).toBe(false);
    expect(() => span.addLink(new SpanLink({ traceId: 'tr-1', spanId: 'a' })).setLogLevel('INFO')).not.toThrow();
    expect(span.links).toEqual([]);
  });
});

describe('@tracewright/runtime/cost', () => {
  const prices = {
    'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10, cacheReadPerMillion: 1.25 },
    'anthropic/claude-sonnet-4': { inputPerMillion: 3, outputPerMillion: 15, cacheReadPerMillion: 0.3, cacheWritePerMillion: 3.75 },
  };

  test("MLflow's arithmetic: cached input is part of input_tokens, priced at its own rate (input rate when absent)", () => {
    const cost = calculateCostByModelAndTokenUsage('gpt-4o', { input_tokens: 1000, output_tokens: 500, cache_read_input_tokens: 200 }, null, prices)!;
    expect(cost.input_cost).toBeCloseTo((800 * 2.5 + 200 * 1.25) / 1e6, 12);
    expect(cost.output_cost).toBeCloseTo((500 * 10) / 1e6, 12);
    expect(cost.total_cost).toBeCloseTo(cost.input_cost + cost.output_cost, 12);
    const noCacheRate = createCostCalculator({ m: { inputPerMillion: 4, outputPerMillion: 0 } });
    expect(noCacheRate('m', { input_tokens: 10, cache_creation_input_tokens: 5 })!.input_cost).toBeCloseTo((10 * 4) / 1e6, 12);
  });

  test('finds a model by exact name, provider/model, or with its provider/ prefix removed', () => {
    const cost = createCostCalculator(prices);
    const usage = { input_tokens: 1_000_000, output_tokens: 0 };
    expect(cost('claude-sonnet-4', usage, 'Anthropic')!.input_cost).toBeCloseTo(3, 12);
    expect(cost('anthropic/claude-sonnet-4', usage)!.input_cost).toBeCloseTo(3, 12);
    expect(cost('openai/gpt-4o', usage)!.input_cost).toBeCloseTo(2.5, 12);
  });

  test('undefined (as MLflow) without a model, usage or tokens; a clear error for unknown models and bad tables', () => {
    const cost = createCostCalculator(prices);
    expect(cost(undefined, { input_tokens: 5 })).toBeUndefined();
    expect(cost('gpt-4o', null)).toBeUndefined();
    expect(cost('gpt-4o', { input_tokens: 0, output_tokens: -3 })).toBeUndefined();
    expect(() => cost('gpt-5', { input_tokens: 1 }, 'openai')).toThrow(/no price for model "gpt-5" \(provider "openai"\).*"gpt-4o"/);
    expect(() => createCostCalculator(null as never)).toThrow(/price table must be an object/);
    expect(() => createCostCalculator({})).toThrow(/price table is empty/);
    expect(() => createCostCalculator({ m: { inputPerMillion: 1 } } as never)).toThrow(/"m": outputPerMillion must be a finite number >= 0, got nothing/);
    expect(() => createCostCalculator({ m: { inputPerMillion: -1, outputPerMillion: 1 } })).toThrow(/"m": inputPerMillion must be a finite number >= 0, got -1/);
    expect(() => createCostCalculator({ m: { inputPerMillion: 1, outputPerMillion: 1, cacheReadPerMillion: '0.5' } } as never)).toThrow(/cacheReadPerMillion/);
    expect(() => (calculateCostByModelAndTokenUsage as (...a: unknown[]) => unknown)('gpt-4o', { input_tokens: 1 })).toThrow(/needs a price table/);
  });
});
