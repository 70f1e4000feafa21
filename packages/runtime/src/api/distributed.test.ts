import { describe, expect, test } from 'vitest';
import { useMemoryDestination } from '../core/__tests__/memory.js';
import { getActiveTraceId } from '../core/context.js';
import { REMOTE_PARENT_METADATA_KEY } from '../core/remote-parent.js';
import { setSamplingRatio } from './control.js';
import {
  continueTrace,
  extractTraceContext,
  getTracingContextEnv,
  getTracingContextHeaders,
  getTracingContextHeadersForHttpRequest,
  injectTraceContext,
  withTracingContextFromHeaders,
} from './distributed.js';
import { withSpan } from './spans.js';
import { trace } from './trace.js';

const memory = useMemoryDestination();

const TRACE_HEX = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_HEX = '00f067aa0ba902b7';
const PARENT = `00-${TRACE_HEX}-${SPAN_HEX}-01`;

const tool = trace(function tool(x: number) {
  return x * 2;
}, { spanType: 'TOOL' });

const handler = trace(async function handler(x: number) {
  return { doubled: tool(x), out: getTracingContextHeadersForHttpRequest() };
});

describe('getTracingContextHeadersForHttpRequest', () => {
  test('inside a span: traceparent of the active span, the trace id being the MLflow id without `tr-`', async () => {
    let headers: ReturnType<typeof getTracingContextHeaders> = {};
    let spanId = '';
    await withSpan((span) => {
      spanId = span.spanId;
      headers = getTracingContextHeaders();
    }, { name: 'client' });
    const [t] = memory.traces;
    expect(headers).toEqual({ traceparent: `00-${t!.info.traceId.slice(3)}-${spanId}-01` });
    expect(t!.info.traceId).toMatch(/^tr-[0-9a-f]{32}$/);
  });

  test('outside any span: {} (nothing to propagate)', () => {
    expect(getTracingContextHeadersForHttpRequest()).toEqual({});
  });
});

describe('withTracingContextFromHeaders', () => {
  test("fn's spans are children of the remote span in the caller's trace; outgoing headers name our span", async () => {
    const result = await withTracingContextFromHeaders({ traceparent: PARENT, tracestate: 'vendor=abc,other=1' }, () => handler(21));
    expect(result.doubled).toBe(42);
    const [t] = memory.traces;
    expect(t!.info.traceId).toBe(`tr-${TRACE_HEX}`);
    expect(t!.info.traceMetadata[REMOTE_PARENT_METADATA_KEY]).toBe(SPAN_HEX);
    const root = t!.data.spans.find((s) => s.name === 'handler')!;
    const child = t!.data.spans.find((s) => s.name === 'tool')!;
    expect(root.parentId).toBe(SPAN_HEX);
    expect(child.parentId).toBe(root.spanId);
    expect(t!.data.spans.every((s) => s.traceId === `tr-${TRACE_HEX}`)).toBe(true);
    expect(result.out).toEqual({ traceparent: `00-${TRACE_HEX}-${root.spanId}-01`, tracestate: 'vendor=abc,other=1' });
  });

  test('returns exactly what fn returns (same promise) and throws what it throws', () => {
    const p = Promise.resolve(1);
    expect(continueTrace({ traceparent: PARENT }, () => p)).toBe(p);
    const error = new Error('boom');
    expect(() =>
      continueTrace({ traceparent: PARENT }, () => {
        throw error;
      }),
    ).toThrow(error);
    expect(() => continueTrace({}, 'nope' as never)).toThrow(/fn must be a function, got string/);
  });

  test('headers as Headers, Map, mixed-case object, repeated values, byte values (Kafka), process.env style', async () => {
    const carriers: unknown[] = [
      new Headers({ TraceParent: PARENT }),
      new Map([['traceparent', PARENT]]),
      { Traceparent: PARENT },
      { traceparent: [PARENT, PARENT] },
      { traceparent: new TextEncoder().encode(PARENT) },
      { TRACEPARENT: PARENT, PATH: '/bin' },
    ];
    for (const carrier of carriers) {
      expect(withTracingContextFromHeaders(carrier, () => getActiveTraceId())).toBe(`tr-${TRACE_HEX}`);
    }
  });

  const hostile: Array<[string, unknown]> = [
    ['missing', {}],
    ['null headers', null],
    ['a string', 'traceparent'],
    ['version ff', { traceparent: `ff-${TRACE_HEX}-${SPAN_HEX}-01` }],
    ['version not hex', { traceparent: `0x-${TRACE_HEX}-${SPAN_HEX}-01` }],
    ['version 00 with extra fields', { traceparent: `${PARENT}-extra` }],
    ['all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${SPAN_HEX}-01` }],
    ['all-zero span id', { traceparent: `00-${TRACE_HEX}-${'0'.repeat(16)}-01` }],
    ['upper-case hex', { traceparent: `00-${TRACE_HEX.toUpperCase()}-${SPAN_HEX}-01` }],
    ['bad hex', { traceparent: `00-${TRACE_HEX.slice(0, 31)}g-${SPAN_HEX}-01` }],
    ['short trace id', { traceparent: `00-${TRACE_HEX.slice(2)}-${SPAN_HEX}-01` }],
    ['two different traceparents', { traceparent: [PARENT, `00-${'1'.repeat(32)}-${SPAN_HEX}-01`] }],
    ['oversized traceparent', { traceparent: PARENT + ' '.repeat(100_000) }],
    ['oversized tracestate', { traceparent: PARENT, tracestate: `a=${'x'.repeat(200)},`.repeat(100) }],
    ['too many tracestate members', { traceparent: PARENT, tracestate: Array.from({ length: 40 }, (_, i) => `k${i}=v`).join(',') }],
    ['throwing getter', Object.defineProperty({}, 'traceparent', { get: () => { throw new Error('hostile'); }, enumerable: true })],
    ['throwing Headers.get', { get: () => { throw new Error('hostile'); } }],
  ];
  test.each(hostile)('%s: fn runs in a new trace, nothing thrown', async (_, headers) => {
    const result = await withSpan(() => withTracingContextFromHeaders(headers, () => handler(1)), { name: 'unrelated-outer' });
    expect(result.doubled).toBe(2);
    const mine = memory.traces.find((t) => t.data.spans.some((s) => s.name === 'handler'))!;
    expect(mine.info.traceId).not.toBe(`tr-${TRACE_HEX}`);
    // a new trace: not nested under the span that happened to be active
    expect(mine.data.spans.find((s) => s.name === 'handler')!.parentId).toBeNull();
    expect(mine.info.traceMetadata[REMOTE_PARENT_METADATA_KEY]).toBeUndefined();
  });

  test('a malformed tracestate is dropped; the traceparent still counts', () => {
    const out = withTracingContextFromHeaders({ traceparent: PARENT, tracestate: 'Bad Key=1' }, () => withSpan(() => getTracingContextHeaders(), { name: 's' }));
    expect(out).toEqual({ traceparent: expect.stringMatching(new RegExp(`^00-${TRACE_HEX}-[0-9a-f]{16}-01$`)) });
  });

  test('a future version is read as version 00 (trailing fields ignored)', () => {
    expect(withTracingContextFromHeaders({ traceparent: `cc-${TRACE_HEX}-${SPAN_HEX}-01-what-the-future-holds` }, () => getActiveTraceId())).toBe(`tr-${TRACE_HEX}`);
  });

  test('sampled flag 00: nothing is recorded, and outgoing headers carry the trace on, not sampled', async () => {
    const out = await withTracingContextFromHeaders({ traceparent: `00-${TRACE_HEX}-${SPAN_HEX}-00` }, () => handler(3));
    expect(out.doubled).toBe(6);
    expect(memory.traces).toHaveLength(0);
    expect(out.out).toEqual({ traceparent: `00-${TRACE_HEX}-${SPAN_HEX}-00` });
  });

  test('sampled flag 01 wins over a local sampling ratio of 0', async () => {
    setSamplingRatio(0);
    await withTracingContextFromHeaders({ traceparent: PARENT }, () => handler(1));
    expect(memory.traces.map((t) => t.info.traceId)).toEqual([`tr-${TRACE_HEX}`]);
    await handler(1);
    expect(memory.traces).toHaveLength(1);
  });

  test('spans begun one after another under one continued context all join the trace id', async () => {
    await withTracingContextFromHeaders({ traceparent: PARENT }, async () => {
      tool(1);
      await handler(2);
    });
    expect(memory.traces.map((t) => t.info.traceId)).toEqual([`tr-${TRACE_HEX}`, `tr-${TRACE_HEX}`]);
    expect(memory.traces.flatMap((t) => t.data.spans.filter((s) => s.parentId === SPAN_HEX).map((s) => s.name))).toEqual(['tool', 'handler']);
  });

  test('a context that begins no span leaves nothing behind', () => {
    withTracingContextFromHeaders({ traceparent: PARENT }, () => 1);
    expect(memory.traces).toHaveLength(0);
  });
});

describe('carriers', () => {
  test('injectTraceContext / extractTraceContext round-trip through message headers, Headers and Map', () => {
    withSpan((span) => {
      for (const carrier of [{} as Record<string, string>, new Headers(), new Map<string, string>()]) {
        expect(injectTraceContext(carrier)).toBe(carrier);
        const ctx = extractTraceContext(carrier)!;
        expect(ctx).toMatchObject({ traceIdHex: span.traceId.slice(3), spanId: span.spanId, sampled: true });
      }
    }, { name: 'producer' });
    expect(injectTraceContext({})).toEqual({});
    expect(extractTraceContext({ traceparent: 'garbage' })).toBeUndefined();
    expect(() => injectTraceContext(null as never)).toThrow(/carrier must be an object/);
  });

  test('TRACEPARENT environment variable for a child process', () => {
    const { env, traceId } = withSpan((span) => ({ env: getTracingContextEnv(), traceId: span.traceId }), { name: 'parent' });
    expect(env.TRACEPARENT).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(withTracingContextFromHeaders({ ...env, HOME: '/root' }, () => getActiveTraceId())).toBe(traceId);
    expect(getTracingContextEnv()).toEqual({});
  });
});
