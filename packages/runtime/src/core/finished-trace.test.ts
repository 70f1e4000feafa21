import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, test } from 'vitest';
import {
  configureTracing,
  getCurrentActiveSpan,
  setDestination,
  SpanAttributeKey,
  SpanStatusCode,
  startSpan,
  trace,
  updateCurrentTrace,
  withSpan,
  type LiveSpan,
  type Trace,
} from '../index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function holdingDestination(): Trace[] {
  const held: Trace[] = [];
  setDestination({ description: 'holding', export: (t) => void held.push(t), flush: async () => {}, shutdown: async () => {} });
  return held;
}

afterEach(() => configureTracing({ spanProcessors: [] }));

describe('a finished trace keeps its spans, not its in-progress buffer', () => {
  test('spans of an exported trace keep their ids, times and status; the buffer is let go', async () => {
    const held = holdingDestination();
    let buffer: WeakRef<object> | undefined;
    let inner: LiveSpan | undefined;
    const root = trace(function root(q: string) {
      buffer = new WeakRef(getCurrentActiveSpan()!.buffer!);
      withSpan((s) => {
        inner = s;
        s.setInputs({ q });
      }, { name: 'inner' });
      return q.length;
    });
    expect(root('abc')).toBe(3);
    const [t] = held;
    const [rootSpan, innerSpan] = t.data.spans as LiveSpan[];
    expect(innerSpan).toBe(inner);
    const traceId = t.info.traceId;
    expect(traceId).toMatch(/^tr-[0-9a-f]{32}$/);
    for (const span of [rootSpan, innerSpan]) {
      expect(span.traceId).toBe(traceId);
      expect(span.encodedAttributes[SpanAttributeKey.TRACE_ID]).toBe(JSON.stringify(traceId));
      expect(span.status.statusCode).toBe(SpanStatusCode.OK);
      expect(span.isEnded).toBe(true);
      expect(span.buffer?.isFinished).toBe(true);
      expect(span.endTimeUnixNano! >= span.startTimeUnixNano).toBe(true);
      expect(span.durationMs).toBe(Number(span.endTimeUnixNano! - span.startTimeUnixNano) / 1e6);
    }
    expect(innerSpan.parentId).toBe(rootSpan.spanId);
    expect(t.info.requestPreview).toBe('{"q":"abc"}');
    expect(t.info.tags['mlflow.traceName']).toBe('root');
    // Nothing but the (now released) span links held the buffer.
    await new Promise((r) => setTimeout(r, 0));
    gc();
    expect(buffer!.deref()).toBeUndefined();
    // The spans still say which trace they were in.
    expect(rootSpan.traceId).toBe(traceId);
  });

  test('a trace that carries more than its spans keeps what its summary needs', () => {
    const held = holdingDestination();
    trace(function tagged() {
      updateCurrentTrace({ tags: { env: 'test' }, metadata: { m: '1' }, requestPreview: 'preview' });
      return 1;
    })();
    const info = held[0]!.info;
    expect(info.tags).toMatchObject({ env: 'test', 'mlflow.traceName': 'tagged' });
    expect(info.traceMetadata).toMatchObject({ m: '1' });
    expect(info.requestPreview).toBe('preview');
  });

  test('a span begun under a span of an exported trace starts a trace of its own', () => {
    const held = holdingDestination();
    let parent: LiveSpan | undefined;
    trace(function first() {
      parent = getCurrentActiveSpan();
    })();
    const late = startSpan({ name: 'late', parent });
    late.end();
    expect(held).toHaveLength(2);
    expect(late.traceId).not.toBe(parent!.traceId);
    expect(late.parentId).toBeNull();
  });

  test('a held trace does not keep what its generator yielded alive once the span ended', async () => {
    const held = holdingDestination();
    const items = trace(function* items(n: number) {
      for (let i = 0; i < n; i++) yield { i, payload: 'x'.repeat(100) };
    });
    let ref: WeakRef<object> | undefined;
    (() => {
      const all = [...items(3)];
      ref = new WeakRef(all[0]!);
    })();
    expect(held).toHaveLength(1);
    expect(held[0]!.data.spans[0]!.outputs).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 0));
    gc();
    // Recorded as text at the end; the yielded objects are the program's alone again.
    expect(ref!.deref()).toBeUndefined();
  });

  test('a trace id set by the program is the one the span keeps', () => {
    const held = holdingDestination();
    trace(function f() {})();
    const span = held[0]!.data.spans[0] as LiveSpan;
    span.traceId = 'tr-00000000000000000000000000000001';
    expect(span.traceId).toBe('tr-00000000000000000000000000000001');
  });
});

describe('span status without a slot of its own', () => {
  test('UNSET while open, OK once ended, ERROR kept; processors see the status the span ends with', () => {
    const seen: string[] = [];
    configureTracing({ spanProcessors: [(s) => void seen.push(`${s.name}:${s.status.statusCode.replace('STATUS_CODE_', '')}`)] });
    const held = holdingDestination();
    let openStatus = '';
    withSpan((s) => {
      openStatus = s.status.statusCode;
    }, { name: 'ok' });
    withSpan((s) => {
      s.setStatus('ERROR', 'bad');
    }, { name: 'failed' });
    withSpan((s) => {
      s.setStatus('OK');
    }, { name: 'explicitOk' });
    expect(openStatus).toBe(SpanStatusCode.UNSET);
    expect(seen).toEqual(['ok:OK', 'failed:ERROR', 'explicitOk:OK']);
    const statuses = held.map((t) => t.data.spans[0]!.status);
    expect(statuses.map((s) => s.statusCode)).toEqual([SpanStatusCode.OK, SpanStatusCode.ERROR, SpanStatusCode.OK]);
    expect(statuses[1]!.description).toBe('bad');
  });

  test('a processor that sets a status after the default keeps it', () => {
    configureTracing({ spanProcessors: [(s) => void s.setStatus('UNSET')] });
    const held = holdingDestination();
    withSpan(() => undefined, { name: 'p' });
    expect(held[0]!.data.spans[0]!.status.statusCode).toBe(SpanStatusCode.UNSET);
  });

  test('events and links start empty and are kept once added', () => {
    const held = holdingDestination();
    withSpan((s) => {
      expect(s.events).toEqual([]);
      expect(s.links).toEqual([]);
      s.addEvent({ name: 'e1' });
      s.addLink({ traceId: 'tr-0123456789abcdef0123456789abcdef', spanId: '0123456789abcdef' });
    }, { name: 'ev' });
    const span = held[0]!.data.spans[0]!;
    expect(span.events.map((e) => e.name)).toEqual(['e1']);
    expect(span.links.map((l) => l.spanId)).toEqual(['0123456789abcdef']);
  });
});
