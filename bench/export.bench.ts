/**
 * Remote export (issue 6): spans/s delivered to a (fake, loopback, separate-process) MLflow
 * server and to an OTLP endpoint, event-loop delay of the app while exporting vs idle, the
 * latency of a traced call while an export is in flight vs an in-memory destination, and our
 * hand-written OTLP/protobuf encoder vs the official OpenTelemetry serializer on the same spans.
 *
 *   node --conditions=@tracewright/source --import tsx bench/export.bench.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ROOT_CONTEXT, SpanKind, trace as otelTrace, type Span as OtelSpan } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  createMlflowDestination,
  createOtlpDestination,
  getTracingDiagnostics,
  InMemoryDestination,
  setDestination,
  trace,
  withSpan,
  type Trace,
  type TraceDestination,
} from '@tracewright/runtime';
import { measureAsync, measureSync, report } from './harness.js';
import { encodeTraceRequestProtobuf } from '../packages/runtime/src/exporters/otlp/encode-protobuf.js';
import { envelopeFromEnv } from '../packages/runtime/src/exporters/otlp/resource.js';
import { spanViewsOf } from '../packages/runtime/src/exporters/otlp/span-view.js';

const TRACES = 3_000;
const TOOL_CALLS = 3; // spans per trace = 1 root + TOOL_CALLS + 1 llm

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('../packages/runtime/src/exporters/testing/fake-server-main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--no-record'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { url: JSON.parse(line).url, child };
}

async function makeTraces(n: number): Promise<Trace[]> {
  const memory = new InMemoryDestination();
  setDestination(memory);
  const tool = trace(async (q: string) => ({ hits: [q, q.length] }), { name: 'tool', spanType: 'TOOL' });
  const agent = trace(
    async (question: string) => {
      for (let i = 0; i < TOOL_CALLS; i++) await tool(`${question}/${i}`);
      return withSpan(
        (s) => {
          s.setInputs({ messages: [{ role: 'user', content: question }] });
          s.setAttribute('mlflow.chat.tokenUsage', { input_tokens: 20, output_tokens: 5, total_tokens: 25 });
          s.setOutputs({ choices: [{ message: { role: 'assistant', content: 'x'.repeat(200) } }] });
          return 'ok';
        },
        { name: 'llm', spanType: 'LLM' },
      );
    },
    { name: 'agent', spanType: 'AGENT' },
  );
  for (let i = 0; i < n; i++) await agent(`question number ${i}`);
  setDestination(undefined);
  return memory.traces;
}

interface Delay {
  p50: number;
  p99: number;
  max: number;
}

async function withLoopDelay<T>(fn: () => Promise<T>): Promise<[T, Delay]> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const result = await fn();
  h.disable();
  const ms = (ns: number) => ns / 1e6;
  return [result, { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) }];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (d: Delay) => `p50 ${d.p50.toFixed(2)} ms, p99 ${d.p99.toFixed(2)} ms, max ${d.max.toFixed(1)} ms`;

async function exportAll(destination: TraceDestination, traces: Trace[]): Promise<number> {
  const start = process.hrtime.bigint();
  for (const t of traces) destination.export(t);
  await destination.flush();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const server = await startServer();
  try {
    const traces = await makeTraces(TRACES);
    const spanCount = traces.reduce((n, t) => n + t.data.spans.length, 0);
    console.log(`${TRACES} traces, ${spanCount} spans; fake MLflow server (v3.7: OTLP + StartTraceV3) in a separate process`);
    console.log(`machine: ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (shared: figures vary with it)`);

    // --- event-loop delay: idle baseline vs exporting ---
    const [, idle] = await withLoopDelay(() => sleep(1500));
    // The whole burst is handed over at once: size the queue for it (default 2048 would drop the excess).
    const delivery = { maxQueueSize: TRACES };
    const mlflow = createMlflowDestination({ trackingUri: server.url, experimentName: 'bench', delivery });
    await mlflow.setExperiment('bench');
    await exportAll(mlflow, traces.slice(0, 100)); // warm-up: connections, JIT
    const [mlflowMs, mlflowDelay] = await withLoopDelay(() => exportAll(mlflow, traces));
    const otlp = createOtlpDestination({ endpoint: server.url, headers: { 'x-mlflow-experiment-id': '0' }, delivery });
    await exportAll(otlp, traces.slice(0, 100));
    const [otlpMs, otlpDelay] = await withLoopDelay(() => exportAll(otlp, traces));

    console.log('\n## Export throughput (export() of every trace, then flush())');
    console.log(`  MLflow destination  ${(spanCount / (mlflowMs / 1000)).toFixed(0).padStart(8)} spans/s  ${(TRACES / (mlflowMs / 1000)).toFixed(0).padStart(6)} traces/s  (${mlflowMs.toFixed(0)} ms; 2 HTTP calls per trace, 8 in flight)`);
    console.log(`  OTLP destination    ${(spanCount / (otlpMs / 1000)).toFixed(0).padStart(8)} spans/s  ${(TRACES / (otlpMs / 1000)).toFixed(0).padStart(6)} traces/s  (${otlpMs.toFixed(0)} ms; batches of ≤512 spans, gzip)`);
    const diag = getTracingDiagnostics();
    console.log(`  dropped: ${JSON.stringify(diag.dropped)}, export errors: ${diag.totalErrors}`);
    console.log('\n## Event-loop delay of the app process');
    console.log(`  idle baseline        ${fmt(idle)}`);
    console.log(`  exporting to MLflow  ${fmt(mlflowDelay)}   p99 ${(mlflowDelay.p99 / idle.p99).toFixed(2)}x idle`);
    console.log(`  exporting via OTLP   ${fmt(otlpDelay)}   p99 ${(otlpDelay.p99 / idle.p99).toFixed(2)}x idle`);

    // --- a steady app: one trace every 5 ms (200 traces/s) for 2 s, in-memory vs MLflow ---
    const paced = async (destination: TraceDestination) => {
      let i = 0;
      return withLoopDelay(async () => {
        for (const end = Date.now() + 2000; Date.now() < end; ) {
          destination.export(traces[i++ % traces.length]!);
          await sleep(5);
        }
      });
    };
    const [, pacedMemory] = await paced(new InMemoryDestination());
    const [, pacedMlflow] = await paced(mlflow);
    await mlflow.flush();
    console.log('\n## Event-loop delay, steady app exporting 200 traces/s');
    console.log(`  in-memory destination  ${fmt(pacedMemory)}`);
    console.log(`  MLflow destination     ${fmt(pacedMlflow)}   p99 ${(pacedMlflow.p99 / pacedMemory.p99).toFixed(2)}x in-memory`);

    // --- latency of a traced call: in-memory destination vs MLflow with exports in flight ---
    const work = trace(async (x: number) => x + 1, { name: 'work' });
    setDestination(new InMemoryDestination());
    const base = await measureAsync('traced call, in-memory destination', 1000, () => work(1), 5);
    const busy = createMlflowDestination({ trackingUri: server.url, experimentId: '0', delivery: { maxQueueSize: 10_000 } });
    setDestination(busy);
    const remote = await measureAsync('traced call, MLflow destination (every call exported)', 1000, () => work(1), 5);
    setDestination(undefined);
    await busy.shutdown();
    report('App latency per traced call (includes the CPU its own export costs on the same thread)', [base, remote], base);

    // --- encoder: ours vs the official OpenTelemetry serializer on the same spans ---
    const sample = traces.slice(0, 100);
    const official = readableSpansOf(sample);
    const envelope = envelopeFromEnv();
    const ourEncode = measureSync('ours: spanViewsOf + encodeTraceRequestProtobuf', 20, () => {
      encodeTraceRequestProtobuf(envelope, sample.flatMap((t) => spanViewsOf(t, { traceLevelAttributes: true })));
    });
    const theirs = measureSync('official ProtobufTraceSerializer', 20, () => {
      ProtobufTraceSerializer.serializeRequest(official);
    });
    report(`OTLP/protobuf encoding of ${official.length} spans (per request)`, [theirs, ourEncode], theirs, [
      `ours: ${((official.length / ourEncode.nsPerOp) * 1e9).toFixed(0)} spans/s; official: ${((official.length / theirs.nsPerOp) * 1e9).toFixed(0)} spans/s`,
    ]);
    await mlflow.shutdown();
    await otlp.shutdown();
  } finally {
    server.child.stdin!.end();
    server.child.kill('SIGTERM');
  }
}

/** The same spans as OpenTelemetry SDK ReadableSpans (ids, times, attributes, events, status). */
function readableSpansOf(traces: Trace[]) {
  const exporter = new InMemorySpanExporter();
  for (const t of traces) {
    const ids = t.data.spans.map((s) => s.spanId);
    const provider = new BasicTracerProvider({
      idGenerator: { generateTraceId: () => t.info.traceId.slice(3), generateSpanId: () => ids.shift()! },
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('bench');
    const hr = (ns: bigint): [number, number] => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
    const live = new Map<string, OtelSpan>();
    for (const s of t.data.spans) {
      const parent = s.parentId ? live.get(s.parentId) : undefined;
      const ctx = parent ? otelTrace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
      const span = tracer.startSpan(s.name, { kind: SpanKind.INTERNAL, startTime: hr(s.startTimeUnixNano), attributes: s.encodedAttributes }, ctx);
      live.set(s.spanId, span);
    }
    for (const s of [...t.data.spans].reverse()) live.get(s.spanId)!.end(hr(s.endTimeUnixNano!));
  }
  return exporter.getFinishedSpans();
}

await main();
