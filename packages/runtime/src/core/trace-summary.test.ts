import { describe, expect, test } from 'vitest';
import { setDestination, trace, TraceMetadataKey, updateCurrentTrace, type Trace } from '../index.js';

/** A destination that holds traces without reading them, as a batching exporter does. */
function holdingDestination(): Trace[] {
  const held: Trace[] = [];
  setDestination({ description: 'holding', export: (t) => void held.push(t), flush: async () => {}, shutdown: async () => {} });
  return held;
}

describe('the trace summary (TraceInfo) is built when first read, from what was fixed when the trace finished', () => {
  test('not built on the call path; reading it gives the same summary every time, as an own enumerable property', () => {
    const held = holdingDestination();
    const add = trace(function add(a: number, b: number) {
      updateCurrentTrace({ tags: { t: 'v' }, metadata: { m: 'w' }, user: 'u1' });
      return a + b;
    });
    expect(add(1, 2)).toBe(3);
    const [t] = held;
    // Still pending: an accessor, not a built object.
    expect(typeof Object.getOwnPropertyDescriptor(t, 'info')?.get).toBe('function');
    expect(Object.keys(t)).toEqual(['info', 'data']);
    const info = t.info;
    expect(t.info).toBe(info);
    expect(Object.getOwnPropertyDescriptor(t, 'info')).toMatchObject({ enumerable: true, configurable: true });
    expect(Object.keys(t)).toEqual(['info', 'data']);
    expect(structuredClone(t).info).toEqual(info);
    expect(info.requestPreview).toBe('{"a":1,"b":2}');
    expect(info.responsePreview).toBe('3');
    expect(info.tags).toMatchObject({ 'mlflow.traceName': 'add', t: 'v' });
    expect(info.traceMetadata).toMatchObject({ m: 'w', [TraceMetadataKey.TRACE_USER]: 'u1', [TraceMetadataKey.INPUTS]: '{"a":1,"b":2}' });
    expect({ ...t }.info).toBe(info);
    expect(JSON.parse(JSON.stringify(t)).info.traceId).toBe(info.traceId);
  });

  test('spread and JSON see the summary before it was read; assigning info replaces it', () => {
    const held = holdingDestination();
    trace(function f() {
      return 'x';
    })();
    trace(function g() {
      return 'y';
    })();
    expect({ ...held[0] }.info.tags['mlflow.traceName']).toBe('f');
    const replacement = { ...held[0].info, requestPreview: 'replaced' };
    held[1].info = replacement;
    expect(held[1].info).toBe(replacement);
  });

  test('an update from work that outlives its trace does not reach the summary read later', async () => {
    const held = holdingDestination();
    let late: Promise<void> | undefined;
    const root = trace(function root() {
      late = Promise.resolve().then(() => {
        updateCurrentTrace({ tags: { late: 'yes' }, metadata: { late: 'yes' }, requestPreview: 'late', state: 'ERROR', clientRequestId: 'late' });
      });
      return 1;
    });
    expect(root()).toBe(1);
    await late;
    const info = held[0].info;
    expect(info.tags.late).toBeUndefined();
    expect(info.traceMetadata.late).toBeUndefined();
    expect(info.requestPreview).toBe('{}');
    expect(info.state).toBe('OK');
    expect(info.clientRequestId).toBeUndefined();
  });
});
