import { afterEach, describe, expect, test } from 'vitest';
import { configureTracing, setDestination } from '../api/control.js';
import { withSpan } from '../api/spans.js';
import { trace } from '../api/trace.js';
import { InMemoryDestination } from '../export/in-memory.js';
import type { TraceDestination } from '../export/destination.js';
import type { Trace } from '../model/trace.js';
import { getTracingDiagnostics, resetTracingDiagnostics, setDiagnosticLogger } from './diagnostics.js';

afterEach(() => {
  setDestination(undefined);
  configureTracing({ spanProcessors: [] });
  setDiagnosticLogger((m) => console.warn(m));
});

/** A destination that fails on selected traces and keeps the others. */
class FlakyDestination implements TraceDestination {
  readonly description = 'flaky test destination';
  readonly kept: Trace[] = [];
  export(trace: Trace): void {
    if (trace.data.spans[0]!.name.startsWith('poison')) throw new Error('disk on fire');
    this.kept.push(trace);
  }
  async flush(): Promise<void> {
    throw new Error('flush exploded');
  }
  async shutdown(): Promise<void> {}
}

describe('tracing never breaks the program', () => {
  test('an exporter failure is logged once, counted, not thrown, and loses no other trace', async () => {
    const logs: string[] = [];
    setDiagnosticLogger((m) => logs.push(m));
    resetTracingDiagnostics();
    const flaky = new FlakyDestination();
    setDestination(flaky);
    const ok = trace(function good(i: number) {
      return i;
    });
    const poison = trace(function poison_pill(i: number) {
      return i;
    });
    for (let i = 0; i < 5; i++) {
      expect(poison(i)).toBe(i);
      expect(ok(i)).toBe(i);
    }
    const { flushTraces } = await import('../api/control.js');
    await expect(flushTraces()).resolves.toBeUndefined();
    expect(flaky.kept.map((t) => t.data.spans[0]!.inputs)).toEqual([0, 1, 2, 3, 4].map((i) => ({ i })));
    const diag = getTracingDiagnostics();
    expect(diag.errors['export to flaky test destination']).toBe(5);
    expect(logs.filter((l) => l.includes('disk on fire'))).toHaveLength(1);
    expect(logs.some((l) => l.includes('flush exploded'))).toBe(true);
  });

  test('a span processor that throws is skipped; redaction processors work', () => {
    setDiagnosticLogger(null);
    const memory = new InMemoryDestination();
    setDestination(memory);
    configureTracing({
      spanProcessors: [
        () => {
          throw new Error('processor bug');
        },
        (span) => {
          if (span.inputs && typeof span.inputs === 'object' && 'password' in (span.inputs as object)) {
            span.setInputs({ ...(span.inputs as object), password: '[REDACTED]' });
          }
        },
      ],
    });
    trace(function login(user: string, password: string) {
      return user.length + password.length;
    })('ann', 'hunter2');
    expect(memory.traces[0]!.data.spans[0]!.inputs).toEqual({ user: 'ann', password: '[REDACTED]' });
    expect(getTracingDiagnostics().errors['span processor']).toBeGreaterThan(0);
  });

  test('hostile inputs and outputs are recorded without disturbing the call', () => {
    const memory = new InMemoryDestination();
    setDestination(memory);
    const cyclic: Record<string, unknown> = {};
    cyclic.me = cyclic;
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    const f = trace(function weird(a: unknown, b: unknown) {
      return { a, b, when: new Date(0), big: 1n };
    });
    const result = f(cyclic, hostile);
    expect(result.a).toBe(cyclic);
    const span = memory.traces[0]!.data.spans[0]!;
    // A Proxy is described, its traps never run.
    expect(span.inputs).toEqual({ a: { me: '[Circular]' }, b: '[Proxy]' });
    expect(span.outputs).toMatchObject({ when: '1970-01-01T00:00:00.000Z', big: '1' });
  });

  test('configureTracing rejects bad values clearly', () => {
    expect(() => configureTracing({ maxValueChars: 0 })).toThrow('"maxValueChars" must be a positive integer, got 0');
    expect(() => configureTracing({ spanProcessors: ['x'] as never })).toThrow('"spanProcessors" must be an array of functions');
    expect(() => configureTracing({ useToJSON: 'yes' as never })).toThrow('"useToJSON" must be a boolean, got yes');
  });

  test('withSpan with tracing on but no destination configured still runs', () => {
    setDestination(new InMemoryDestination());
    expect(withSpan(() => 3, { name: 'n' })).toBe(3);
  });
});
