/**
 * Issue 2 benchmark: cost of a traced call (sync and async) next to a bare call, the
 * AsyncLocalStorage.run floor, and the OpenTelemetry JS SDK (BasicTracerProvider +
 * in-memory exporter + AsyncLocalStorage context manager), all in this process.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { context, trace as otelTrace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { disableTracing, enableTracing, setDestination, trace, withSpan, type TraceDestination } from '@tracewright/runtime';
import { measureAsync, measureSync, report } from './harness.js';

/** Discards traces: the benchmark measures tracing, not storage. */
const sink: TraceDestination = { description: 'bench sink', export() {}, flush: async () => {}, shutdown: async () => {} };
setDestination(sink);

const N = 200_000;
let acc = 0;
function add(a: number, b: number) {
  return a + b;
}
async function addAsync(a: number, b: number) {
  return a + b;
}

// --- baselines
const bare = measureSync('bare call', N * 10, () => {
  acc += add(1, 2);
});
const als = new AsyncLocalStorage<object>();
const frame = {};
const alsFloor = measureSync('AsyncLocalStorage.run', N, () => {
  acc += als.run(frame, add, 1, 2);
});

// --- tracewright
const traced = trace(add);
const tracedAsync = trace(addAsync);
const tw = measureSync('tracewright trace() sync', N, () => {
  acc += traced(1, 2);
});
// Steady state inside an agent: traced calls nested in an open trace (100 spans per trace,
// trace assembly amortized over them).
const perTrace = 100;
const nestedBatch = measureSync('nested batch', N / perTrace, () =>
  withSpan(() => {
    for (let i = 0; i < perTrace; i++) acc += traced(1, 2);
  }, { name: 'bench-root' }),
);
const nested = { name: 'tracewright trace() nested span', nsPerOp: nestedBatch.nsPerOp / perTrace };
// A function doing a little real work (~0.2 µs), as traced functions in an app do.
function format(user: string, n: number) {
  return JSON.stringify({ user, n, at: n * 2 }).length;
}
const tracedFormat = trace(format);
const bareFormat = measureSync('bare call, small function', N * 2, () => {
  acc += format('u1', acc & 7);
});
disableTracing();
const twOff = measureSync('tracewright disabled', N * 10, () => {
  acc += traced(1, 2);
});
const twOffFormat = measureSync('tracewright disabled, small function', N * 2, () => {
  acc += tracedFormat('u1', acc & 7);
});
enableTracing();

// --- OpenTelemetry JS SDK
const ctxManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(ctxManager);
const exporter = new InMemorySpanExporter();
// Hands each ended span straight to the in-memory exporter. (SimpleSpanProcessor would queue a
// promise per span, which a synchronous benchmark loop never lets settle.)
const toMemory: SpanProcessor = {
  onStart() {},
  onEnd(span: ReadableSpan) {
    exporter.export([span], () => {});
  },
  forceFlush: async () => {},
  shutdown: async () => {},
};
const provider = new BasicTracerProvider({ spanProcessors: [toMemory] });
const tracer = provider.getTracer('bench');
const otelSync = measureSync('OpenTelemetry SDK startActiveSpan sync', N, () => {
  acc += tracer.startActiveSpan('add', (span) => {
    span.setAttribute('a', 1);
    span.setAttribute('b', 2);
    const r = add(1, 2);
    span.setAttribute('out', r);
    span.end();
    return r;
  });
  if (exporter.getFinishedSpans().length > 10_000) exporter.reset();
});

const asyncN = 50_000;
const alsAsync = await measureAsync('AsyncLocalStorage.run async', asyncN, () => als.run(frame, addAsync, 1, 2));
const twAsync = await measureAsync('tracewright trace() async', asyncN, () => tracedAsync(1, 2));
const otelAsync = await measureAsync('OpenTelemetry SDK async', asyncN, () =>
  tracer.startActiveSpan('addAsync', async (span) => {
    span.setAttribute('a', 1);
    span.setAttribute('b', 2);
    const r = await addAsync(1, 2);
    span.setAttribute('out', r);
    span.end();
    if (exporter.getFinishedSpans().length > 10_000) exporter.reset();
    return r;
  }),
);
void otelTrace;

report('runtime: sync traced call', [bare, alsFloor, tw, nested, otelSync], alsFloor, [
  `target: tracewright ≤ 2x ALS floor → root ${(tw.nsPerOp / alsFloor.nsPerOp).toFixed(2)}x, nested ${(nested.nsPerOp / alsFloor.nsPerOp).toFixed(2)}x`,
  `vs OpenTelemetry SDK (one span, no trace assembly): root ${(tw.nsPerOp / otelSync.nsPerOp).toFixed(2)}x, nested ${(nested.nsPerOp / otelSync.nsPerOp).toFixed(2)}x`,
]);
report('runtime: async traced call', [alsAsync, twAsync, otelAsync], alsAsync, [
  `vs OpenTelemetry SDK ${(twAsync.nsPerOp / otelAsync.nsPerOp).toFixed(2)}x`,
]);
report('runtime: tracing disabled', [bare, twOff], bare, [`target ≤ 1.05x bare call → ${(twOff.nsPerOp / bare.nsPerOp).toFixed(2)}x (a 1 ns function: the wrapper's own call is all there is)`]);
report('runtime: tracing disabled, small function', [bareFormat, twOffFormat], bareFormat, [
  `target ≤ 1.05x bare call → ${(twOffFormat.nsPerOp / bareFormat.nsPerOp).toFixed(2)}x`,
]);
if (acc === 42) console.log(''); // keep results observable to the JIT
