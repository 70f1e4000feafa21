import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disableTracing, enableTracing, getCurrentActiveSpan, getTracingDiagnostics, InMemoryDestination, resetTracingDiagnostics, setDestination, setDiagnosticLogger, withSpan } from './index.js';
import * as tw from './inject.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTraceStore } from './store/local-store.js';
import { runTs } from './store/__tests__/fixtures.js';

let dest: InMemoryDestination;
beforeEach(() => {
  dest = new InMemoryDestination();
  setDestination(dest);
  enableTracing();
  resetTracingDiagnostics();
});
afterEach(() => setDestination(undefined));

const spans = () => dest.traces.flatMap((t) => t.data.spans);

describe('@tracewright/runtime/inject', () => {
  it('fn traces like trace(): name, type, inputs, outputs, errors rethrown unchanged', () => {
    expect(tw.fn('add', 'TOOL', { a: 1, b: 2 }, () => 3)).toBe(3);
    const boom = new Error('boom');
    expect(() => tw.fn('fail', undefined, {}, () => { throw boom; })).toThrow(boom);
    const [add, fail] = spans();
    expect(add).toMatchObject({ name: 'add', spanType: 'TOOL', inputs: { a: 1, b: 2 }, outputs: 3 });
    expect(fail!.status.statusCode).toBe('STATUS_CODE_ERROR');
  });

  it('enter/exit/fail (inline sync functions) trace like fn: same value and error, context switched and restored', () => {
    const value = { big: true };
    const call = tw.enter('add', 'TOOL', { a: 1 });
    expect(call).toBeDefined();
    expect(getCurrentActiveSpan()?.name).toBe('add');
    expect(tw.exit(call, value)).toBe(value);
    expect(getCurrentActiveSpan()).toBeNull();
    const boom = new Error('boom');
    const failing = tw.enter('fail', undefined, {});
    expect(tw.fail(failing, boom)).toBe(boom);
    expect(getCurrentActiveSpan()).toBeNull();
    const [add, fail] = spans();
    expect(add).toMatchObject({ name: 'add', spanType: 'TOOL', inputs: { a: 1 }, outputs: { big: true } });
    expect(fail!.status.statusCode).toBe('STATUS_CODE_ERROR');
  });

  it('context/enterIn record the inputs literal by its own keys, also with an enumerable key on Object.prototype', () => {
    const call = (a: number, b: string) => {
      const caller = tw.context();
      const c = caller === null ? undefined : tw.enterIn(caller, 'pair', undefined, { a, b });
      return tw.exit(c, a);
    };
    const results = [call(1, 'x')];
    // (No expect() while it is there: the test library's own objects would pick it up.)
    Object.defineProperty(Object.prototype, 'polluted', { value: 'p', enumerable: true, configurable: true });
    try {
      results.push(call(2, 'y'), call(3, 'z'));
    } finally {
      delete (Object.prototype as { polluted?: unknown }).polluted;
    }
    results.push(call(4, 'w'));
    expect(results).toEqual([1, 2, 3, 4]);
    expect(spans().map((s) => s.inputs)).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
      { a: 3, b: 'z' },
      { a: 4, b: 'w' },
    ]);
    disableTracing();
    try {
      expect(tw.context()).toBeNull();
    } finally {
      enableTracing();
    }
  });

  it('leave/back with a call (inline async functions): the caller context while suspended, the span context after resume', async () => {
    const seen: Array<string | undefined> = [];
    const body = async () => {
      const call = tw.enter('job', undefined, {});
      seen.push(getCurrentActiveSpan()?.name);
      const v = tw.back(await tw.leave(Promise.resolve(7), call), call);
      seen.push(getCurrentActiveSpan()?.name);
      return tw.exit(call, v);
    };
    await withSpan(async () => {
      const p = body();
      seen.push(getCurrentActiveSpan()?.name); // the caller, while job is suspended
      expect(await p).toBe(7);
    }, { name: 'caller' });
    expect(seen).toEqual(['job', 'caller', 'job']);
    const job = spans().find((s) => s.name === 'job')!;
    const caller = spans().find((s) => s.name === 'caller')!;
    expect(job).toMatchObject({ parentId: caller.spanId, outputs: 7 });
    // Not traced: the value passes through.
    const value = {};
    expect(tw.leave(value, undefined)).toBe(value);
    expect(tw.back(value, undefined)).toBe(value);
  });

  it('functions of the same name with other parameters each record their own inputs (a site remembers its keys, checked per call)', () => {
    const record = (inputs: Record<string, unknown>) => tw.exit(tw.enter('handle', undefined, inputs), 0);
    record({ a: 1, b: 'x' });
    record({ a: 2, b: 'y' });
    record({ request: { id: 7 } });
    record({ b: 3, a: 4 }); // the same keys in another order
    record({});
    record({ a: 5, b: 'z', c: null });
    expect(spans().map((s) => JSON.stringify(s.inputs))).toEqual([
      '{"a":1,"b":"x"}',
      '{"a":2,"b":"y"}',
      '{"request":{"id":7}}',
      '{"b":3,"a":4}',
      '{}',
      '{"a":5,"b":"z","c":null}',
    ]);
  });

  it('fail takes the held await operand the program never took (its leave had no stack): a native promise is consumed, a thenable untouched', async () => {
    const seen: unknown[] = [];
    const listener = (reason: unknown) => void seen.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const overflow = new RangeError('Maximum call stack size exceeded');
      const lost = Promise.reject(new Error('rejected for lack of stack'));
      const call = tw.enter('dispatch', undefined, {});
      expect(tw.fail(call, overflow, lost)).toBe(overflow);
      expect(tw.fail(undefined, overflow, Promise.reject(new Error('not traced, same rule')))).toBe(overflow);
      let thenCalls = 0;
      const thenable = { then: () => void thenCalls++ };
      expect(tw.fail(undefined, overflow, thenable)).toBe(overflow);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen).toEqual([]);
      expect(thenCalls).toBe(0);
      expect(spans().find((s) => s.name === 'dispatch')!.status.statusCode).toBe('STATUS_CODE_ERROR');
    } finally {
      process.off('unhandledRejection', listener);
    }
  });

  it('enter returns undefined when tracing is off; exit and fail then pass their value through', () => {
    disableTracing();
    const call = tw.enter('off', undefined, { a: 1 });
    expect(call).toBeUndefined();
    const value = {};
    const error = new Error('x');
    expect(tw.exit(call, value)).toBe(value);
    expect(tw.fail(call, error)).toBe(error);
    enableTracing();
    expect(spans()).toEqual([]);
  });

  it('fn with invalid options reports a tracing diagnostic and traces with defaults', () => {
    setDiagnosticLogger(null);
    expect(tw.fn('f', { nope: 1 } as never, {}, () => 'ok')).toBe('ok');
    expect(spans()[0]!.name).toBe('f');
    expect(getTracingDiagnostics().totalErrors).toBe(1);
    setDiagnosticLogger((m) => console.warn(m));
  });

  it('iter makes the iteration current until end(), which is idempotent', () => {
    withSpan(
      (outer) => {
        const s = tw.iter('step', undefined, { i: 0 });
        expect(getCurrentActiveSpan()?.name).toBe('step');
        s.end();
        s.end();
        expect(getCurrentActiveSpan()).toBe(outer);
      },
      { name: 'outer' },
    );
    const step = spans().find((s) => s.name === 'step')!;
    expect(step.parentId).toBe(spans().find((s) => s.name === 'outer')!.spanId);
    expect(step.inputs).toEqual({ i: 0 });
  });

  it('leave/back hand the caller its context across a suspension, through nested iterations', () => {
    const outer = tw.iter('outer', undefined, {});
    const inner = tw.iter('inner', undefined, {}, outer);
    expect(tw.leave(42, inner)).toBe(42);
    expect(getCurrentActiveSpan()).toBeNull();
    expect(tw.back('v', inner)).toBe('v');
    expect(getCurrentActiveSpan()?.name).toBe('inner');
    inner.end();
    expect(getCurrentActiveSpan()?.name).toBe('outer');
    tw.leave(0, outer);
    outer.end(); // ended while left: the context is not touched
    expect(getCurrentActiveSpan()).toBeNull();
    expect(spans().map((s) => s.name)).toEqual(['outer', 'inner']);
  });

  it('does nothing when tracing is disabled', () => {
    disableTracing();
    const s = tw.iter('x', undefined, {});
    expect(getCurrentActiveSpan()).toBeNull();
    s.fail(new Error('x'));
    s.end();
    expect(tw.fn('f', undefined, {}, () => 1)).toBe(1);
    expect(spans()).toEqual([]);
  });
});

describe('the inject entry on its own (what // @trace code imports)', () => {
  // Nothing configured: the child must not see the test's own tracking settings.
  const env = Object.fromEntries(Object.keys(process.env).filter((k) => /^(MLFLOW_|OTEL_)/.test(k)).map((k) => [k, undefined]));
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-inject-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('installs the default destination: a trace finished during module evaluation lands in ./mlruns', async () => {
    const cwd = tempDir();
    const result = await runTs(new URL('./__tests__/inject-only-child.ts', import.meta.url), [], { cwd, env });
    expect([result.code, result.stderr]).toEqual([0, '']);
    const page = await LocalTraceStore.open(join(cwd, 'mlruns')).searchTraces({ experimentIds: ['0'] });
    expect(page.traces.map((t) => t.data.spans.map((s) => [s.name, s.inputs, s.outputs]))).toEqual([[['greet', { name: 'top-level' }, 'hello top-level']]]);
  });

  it('follows MLFLOW_TRACKING_URI=file:... like the package entry', async () => {
    const cwd = tempDir();
    const result = await runTs(new URL('./__tests__/inject-only-child.ts', import.meta.url), [], { cwd, env: { ...env, MLFLOW_TRACKING_URI: 'file:./elsewhere' } });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(LocalTraceStore.open(join(cwd, 'elsewhere')).count()).toBe(1);
  });
});
