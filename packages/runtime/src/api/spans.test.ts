import { describe, expect, test } from 'vitest';
import { importCompiled } from '../core/__tests__/compile.js';
import { useMemoryDestination, tree } from '../core/__tests__/memory.js';
import { getCurrentActiveSpan } from '../core/context.js';
import { getTracingDiagnostics, setDiagnosticLogger } from '../core/diagnostics.js';
import { getLastActiveTraceId } from './last-trace.js';
import { startSpan, withSpan } from './spans.js';
import { trace } from './trace.js';
import { tracingContext, updateCurrentTrace } from './trace-updates.js';
import { TRACE_SESSION_KEY, TRACE_USER_KEY } from '../model/constants.js';

const memory = useMemoryDestination();

describe('withSpan', () => {
  test('active for the callback; return value becomes outputs; dynamic names', async () => {
    const step = 7;
    const result = await withSpan(
      async (span) => {
        expect(getCurrentActiveSpan()).toBe(span);
        await new Promise((r) => setTimeout(r, 1));
        return { ok: true };
      },
      { name: `step_${step}`, spanType: 'CHAIN', inputs: { step }, attributes: { a: 1 } },
    );
    expect(result).toEqual({ ok: true });
    expect(tree(memory.traces[0]!)).toEqual({ name: 'step_7', type: 'CHAIN', status: 'OK', inputs: { step: 7 }, outputs: { ok: true }, children: [] });
  });

  test('outputs set explicitly win over the return value', () => {
    withSpan((span) => {
      span.setOutputs('explicit');
      return 'returned';
    }, { name: 'x' });
    expect(memory.traces[0]!.data.spans[0]!.outputs).toBe('explicit');
  });

  test('errors are recorded and propagated', () => {
    const err = new Error('inside');
    expect(() => withSpan(() => { throw err; }, { name: 'fails' })).toThrow(err);
    expect(memory.traces[0]!.data.spans[0]!.status.statusCode).toBe('STATUS_CODE_ERROR');
  });

  test('bad options are clear errors', () => {
    expect(() => withSpan(() => 1, { name: '' })).toThrow('withSpan(callback, options?): option "name" must be a non-empty string');
    expect(() => withSpan(() => 1, { startTimeNs: -1 })).toThrow('option "startTimeNs" must be a non-negative number or bigint');
    expect(() => withSpan(() => 1, { name: 'x', parent: {} as never })).toThrow('option "parent" must be a span');
  });
});

describe('startSpan (live span, not active)', () => {
  test('explicit lifecycle, parent, events, status', () => {
    const root = startSpan({ name: 'root', inputs: { q: 1 } });
    expect(getCurrentActiveSpan()).toBeNull();
    const child = startSpan({ name: 'child', parent: root, spanType: 'TOOL' });
    child.addEvent({ name: 'checkpoint', attributes: { n: 1 } });
    child.setAttributes({ model: 'm', temperature: 0.2 });
    child.end({ outputs: 'c', status: 'OK' });
    root.setStatus('ERROR', 'custom failure');
    root.end({ outputs: 'r' });
    const t = memory.traces[0]!;
    expect(tree(t)).toMatchObject({ name: 'root', status: 'ERROR', children: [{ name: 'child', type: 'TOOL', outputs: 'c' }] });
    expect(t.data.spans[1]!.events[0]).toMatchObject({ name: 'checkpoint', attributes: { n: 1 } });
    expect(t.data.spans[1]!.attributes).toMatchObject({ model: 'm', temperature: 0.2 });
    expect(t.info.state).toBe('ERROR');
    expect(() => root.setStatus('BROKEN' as never)).not.toThrow(); // ended spans ignore changes
  });

  test('end() twice is harmless; Symbol.dispose ends the span', () => {
    const s = startSpan({ name: 'once' });
    s.end();
    s.end();
    const d = startSpan({ name: 'disposed' });
    d[Symbol.dispose]();
    expect(memory.traces.map((t) => t.data.spans.length)).toEqual([1, 1]);
  });

  test('`using` ends the span at the end of the block (compiled by TypeScript)', async () => {
    const mod = await importCompiled(`
      import { startSpan } from '@tracewright/runtime';
      export function work() {
        using span = startSpan({ name: 'scoped' });
        span.setOutputs('inside');
        return span.isEnded;
      }`);
    expect(mod.work()).toBe(false);
    expect(memory.traces[0]!.data.spans[0]!).toMatchObject({ name: 'scoped' });
    expect(memory.traces[0]!.data.spans[0]!.endTimeUnixNano).not.toBeNull();
  });

  test('an invalid status is ignored (a recorded error stays), reported once naming the value, counted, never thrown', () => {
    const logs: string[] = [];
    setDiagnosticLogger((m) => logs.push(m));
    const s = startSpan({ name: 's' });
    s.recordException(new Error('boom'));
    expect(() => s.setStatus('DONE' as never)).not.toThrow();
    expect(() => s.end({ status: { code: 2 } as never })).not.toThrow();
    expect(s.status).toEqual({ statusCode: 'STATUS_CODE_ERROR', description: 'boom' });
    expect(getTracingDiagnostics().errors['span status']).toBe(2);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('ignored invalid span status "DONE" on span "s"');
  });
});

describe('trace-level data', () => {
  test('updateCurrentTrace: user/session metadata, tags, client request id, previews, state', () => {
    const handler = trace(function handler(msg: string) {
      updateCurrentTrace({
        metadata: { [TRACE_USER_KEY]: 'u1', [TRACE_SESSION_KEY]: 's1' },
        tags: { env: 'test' },
        clientRequestId: 'req-1',
        responsePreview: 'custom preview',
      });
      return msg.length;
    });
    handler('hello');
    const info = memory.traces[0]!.info;
    expect(info.traceMetadata).toMatchObject({ 'mlflow.trace.user': 'u1', 'mlflow.trace.session': 's1', 'mlflow.trace_schema.version': '3' });
    expect(info.tags).toEqual({ 'mlflow.traceName': 'handler', env: 'test' });
    expect(info.clientRequestId).toBe('req-1');
    expect(info.requestPreview).toBe('{"msg":"hello"}');
    expect(info.responsePreview).toBe('custom preview');
    expect(info.traceMetadata['mlflow.traceInputs']).toBe('{"msg":"hello"}');
    expect(getLastActiveTraceId()).toBe(info.traceId);
    expect(info.traceId).toMatch(/^tr-[0-9a-f]{32}$/);
  });

  test('state override, user/session shortcuts, bad values', () => {
    withSpan(() => {
      updateCurrentTrace({ state: 'ERROR', user: 'u2', sessionId: 's2' });
      expect(() => updateCurrentTrace({ state: 'DONE' as never })).toThrow('"state" must be "OK" or "ERROR"');
      expect(() => updateCurrentTrace({ requestPreview: 5 as never })).toThrow('"requestPreview" must be a string');
    }, { name: 'x' });
    const info = memory.traces[0]!.info;
    expect(info.state).toBe('ERROR');
    expect(info.traceMetadata).toMatchObject({ 'mlflow.trace.user': 'u2', 'mlflow.trace.session': 's2' });
  });

  test('outside any span it does nothing and does not throw', () => {
    expect(() => updateCurrentTrace({ tags: { a: 'b' } })).not.toThrow();
    expect(memory.traces).toHaveLength(0);
  });

  test('previews are truncated to 1000 chars with "...", metadata values to 250', () => {
    withSpan(() => 'y'.repeat(5000), { name: 'big', inputs: 'x'.repeat(5000) });
    const info = memory.traces[0]!.info;
    expect(info.requestPreview!.length).toBe(1000);
    expect(info.requestPreview!.endsWith('...')).toBe(true);
    expect(info.traceMetadata['mlflow.traceOutputs']!.length).toBe(250);
  });

  test('token usage is summed over the tree without double counting nested usage', () => {
    withSpan(() => {
      withSpan((s) => s.setAttribute('mlflow.chat.tokenUsage', { input_tokens: 10, output_tokens: 5, total_tokens: 15 }), { name: 'llm1' });
      withSpan((wrapper) => {
        wrapper.setAttribute('mlflow.chat.tokenUsage', { input_tokens: 1, output_tokens: 2, total_tokens: 3 });
        withSpan((inner) => inner.setAttribute('mlflow.chat.tokenUsage', { input_tokens: 1, output_tokens: 2, total_tokens: 3 }), { name: 'client' });
      }, { name: 'llm2' });
    }, { name: 'root' });
    expect(JSON.parse(memory.traces[0]!.info.traceMetadata['mlflow.trace.tokenUsage']!)).toEqual({ input_tokens: 11, output_tokens: 7, total_tokens: 18 });
  });

  test('tracingContext injects metadata/tags into traces started inside; enabled:false records nothing', () => {
    const f = trace(function f() {
      return 1;
    });
    tracingContext({ user: 'u9', tags: { team: 'a' } }, () => {
      f();
      tracingContext({ sessionId: 's9' }, () => f());
    });
    tracingContext({ enabled: false }, () => f());
    expect(memory.traces).toHaveLength(2);
    expect(memory.traces[1]!.info.traceMetadata).toMatchObject({ 'mlflow.trace.user': 'u9', 'mlflow.trace.session': 's9' });
    expect(memory.traces[0]!.info.tags.team).toBe('a');
  });

  test('a trace whose root ended waits for still-open children', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const background = trace(async function background() {
      await gate;
      return 'late';
    });
    let pending!: Promise<string>;
    withSpan(() => {
      pending = background(); // fire and forget
    }, { name: 'root' });
    expect(memory.traces).toHaveLength(0);
    release();
    await pending;
    expect(tree(memory.traces[0]!)).toMatchObject({ name: 'root', children: [{ name: 'background', outputs: 'late' }] });
  });
});
