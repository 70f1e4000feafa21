/**
 * Issue 15, end to end: an agent-shaped trace (1 root + 10 child spans, ~1 KB inputs and
 * outputs each) produced as fast as the program can, for a few seconds, then flushed:
 *   - tracewright → the durable local store (LocalStoreDestination), flushTraces() included;
 *   - OTel SDK → BatchSpanProcessor → OTLP/protobuf exporter → a loopback HTTP sink started
 *     here on 127.0.0.1, forceFlush() included.
 * Reports traces/s (delivered, flush included) and event-loop delay (monitorEventLoopDelay)
 * at that full load. Each system runs in its own child process, rounds interleaved.
 * Target: tracewright ≥ 3x the traces/s of OTel, its p99 loop delay ≤ 5 ms. A miss is
 * reported, not a failure; a trace that did not arrive intact is a failure.
 *
 *   node --expose-gc --import tsx bench/peers-e2e.bench.ts
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as tick } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { loadAverage, median } from './harness.js';

const ROUNDS = Number(process.env.PEERS_E2E_ROUNDS ?? 3);
const SECONDS = 2;
const CHILDREN = 10;

interface RunResult {
  traces: number;
  seconds: number;
  flushMs: number;
  p50: number;
  p99: number;
  max: number;
  checked: string;
}

const TEXT = 'Retrieved passage about the quarterly retrieval-quality review; '.repeat(15).slice(0, 900);

/** One trace's work, traced with the given wrapper: the root awaits I/O once (as an agent awaiting a model would). */
function agentOf(wrap: <F extends (...a: any[]) => any>(fn: F, name: string, params: string[]) => F) {
  const tool = wrap(async function tool(request: { step: number; text: string }) {
    return { step: request.step, answer: TEXT, score: request.step / CHILDREN };
  }, 'tool', ['request']);
  return wrap(async function agent(question: string, context: string) {
    await tick();
    let score = 0;
    for (let i = 0; i < CHILDREN; i++) score += (await tool({ step: i, text: context })).score;
    return { question, summary: TEXT, score };
  }, 'agent', ['question', 'context']);
}

/** `flush(n)`: until the `n` traces produced so far are delivered. */
async function produce(agent: (q: string, c: string) => Promise<unknown>, flush: (producedTraces: number) => Promise<void>): Promise<Omit<RunResult, 'checked'>> {
  for (let i = 0; i < 200; i++) await agent(`warm-up ${i}`, TEXT);
  await flush(200);
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  let traces = 0;
  while (performance.now() < end) {
    await agent(`question ${traces}`, TEXT);
    traces++;
  }
  const f0 = performance.now();
  await flush(200 + traces);
  const t1 = performance.now();
  h.disable();
  const ms = (ns: number) => ns / 1e6;
  return { traces, seconds: (t1 - t0) / 1000, flushMs: t1 - f0, p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
}

async function runTracewright(): Promise<RunResult> {
  const { flushTraces, LocalStoreDestination, setDestination, trace } = await import('@tracewright/runtime');
  const dir = mkdtempSync(join(tmpdir(), 'tw-e2e-'));
  try {
    const store = new LocalStoreDestination(dir);
    setDestination(store);
    const agent = agentOf((fn, name) => trace(fn, { name }));
    const r = await produce(agent, () => flushTraces());
    const page = await store.searchTraces({ maxResults: 1 });
    const t = page.traces[0];
    const root = t?.data.spans.find((s) => !s.parentId);
    const tool = t?.data.spans.find((s) => s.name === 'tool');
    if (!t || t.data.spans.length !== CHILDREN + 1 || !JSON.stringify(root?.inputs).includes('"question"') || !JSON.stringify(tool?.outputs).includes(TEXT.slice(0, 50))) {
      throw new Error(`tracewright: the stored trace is not the one produced: ${JSON.stringify(t?.data.spans.map((s) => s.name))}`);
    }
    const stored = (await store.searchTraces({ maxResults: 50_000, includeSpans: false })).traces.length;
    if (stored < r.traces) throw new Error(`tracewright: ${stored} traces stored, ${r.traces + 200} produced`);
    await store.shutdown();
    return { ...r, checked: `${stored} traces read back from the store` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runOtel(url: string): Promise<RunResult> {
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  const { BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { otelWrap, registerGlobally } = await import('./peers/otel-common.js');
  const exporter = new OTLPTraceExporter({ url });
  let delivered = 0;
  let failedExports = 0;
  const counting = {
    export(spans: Parameters<typeof exporter.export>[0], done: Parameters<typeof exporter.export>[1]) {
      exporter.export(spans, (result) => {
        if (result.code === 0) delivered += spans.length;
        else failedExports++;
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush(),
  };
  // Default batching, with a queue large enough that no span is dropped (a drop would be
  // throughput that never arrives).
  const processor = new BatchSpanProcessor(counting, { maxQueueSize: 1 << 20 });
  const provider = registerGlobally([processor]);
  const agent = agentOf(otelWrap(provider.getTracer('bench')));
  // forceFlush() can resolve while an export the batch timer started is still in flight (its
  // spans arrived after it, seen as 512 spans missing): delivered means acknowledged by the sink,
  // so the flush waits for those too (bounded).
  const r = await produce(agent as (q: string, c: string) => Promise<unknown>, async (producedTraces) => {
    await provider.forceFlush();
    const spans = producedTraces * (CHILDREN + 1);
    for (const t0 = performance.now(); delivered < spans && failedExports === 0 && performance.now() - t0 < 10_000; ) await tick();
  });
  const produced = (r.traces + 200) * (CHILDREN + 1);
  if (failedExports || delivered !== produced) throw new Error(`otel: ${delivered} of ${produced} spans delivered, ${failedExports} failed exports`);
  await provider.shutdown();
  return { ...r, checked: `${delivered} spans acknowledged by the sink` };
}

if (process.argv[2] === 'child') {
  const [, , , system, url] = process.argv;
  const result = system === 'tracewright' ? await runTracewright() : await runOtel(url!);
  process.send!(result);
  process.disconnect();
} else {
  // The loopback OTLP/HTTP sink: reads each protobuf request whole, answers an empty
  // ExportTraceServiceResponse (zero bytes of protobuf).
  let requests = 0;
  let bytes = 0;
  const sink = createServer((req, res) => {
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  sink.listen(0, '127.0.0.1');
  await once(sink, 'listening');
  const { port } = sink.address() as { port: number };
  const url = `http://127.0.0.1:${port}/v1/traces`;
  console.log(`load average (1/5/15 min) at start: ${loadAverage()}`);
  console.log(`end to end: 1 root + ${CHILDREN} child spans, ~1 KB inputs/outputs each; ${SECONDS} s of traces then flush, ${ROUNDS} interleaved rounds`);

  const results: Record<string, RunResult[]> = { tracewright: [], otel: [] };
  let failed = false;
  const self = fileURLToPath(import.meta.url);
  for (let round = 0; round < ROUNDS; round++) {
    for (const system of round % 2 ? ['otel', 'tracewright'] : ['tracewright', 'otel']) {
      const child = fork(self, ['child', system, url], { execArgv: [...new Set(['--expose-gc', '--import', 'tsx', ...process.execArgv])] });
      let msg: RunResult | undefined;
      child.on('message', (m: RunResult) => (msg = m));
      const [code] = (await once(child, 'exit')) as [number];
      if (code !== 0 || !msg) {
        failed = true;
        console.error(`${system} round ${round + 1} failed (exit ${code})`);
        continue;
      }
      results[system]!.push(msg);
    }
  }
  sink.close();

  const row = (system: string) => {
    const rs = results[system]!;
    const tps = rs.map((r) => r.traces / r.seconds);
    return { tps: median(tps), min: Math.min(...tps), max: Math.max(...tps), p99: median(rs.map((r) => r.p99)), p99max: Math.max(...rs.map((r) => r.p99)), flush: median(rs.map((r) => r.flushMs)), rs };
  };
  console.log('\n## end to end: traces/s delivered (flush included) and event-loop delay p99 at full load');
  for (const [system, label] of [
    ['tracewright', 'tracewright → durable local store'],
    ['otel', 'OTel SDK → BatchSpanProcessor → OTLP/protobuf → loopback sink'],
  ] as const) {
    if (!results[system]!.length) continue;
    const r = row(system);
    console.log(
      `  ${label.padEnd(62)} ${r.tps.toFixed(0).padStart(6)} traces/s (${r.min.toFixed(0)}–${r.max.toFixed(0)})  loop delay p99 ${r.p99.toFixed(1)} ms (max over rounds ${r.p99max.toFixed(1)})  flush ${r.flush.toFixed(0)} ms  [${r.rs[0]!.checked}]`,
    );
  }
  console.log(`  sink received ${requests} requests, ${(bytes / 1e6).toFixed(1)} MB`);
  if (results.tracewright!.length && results.otel!.length) {
    const tw = row('tracewright');
    const ot = row('otel');
    console.log(`  ${tw.tps >= 3 * ot.tps ? 'PASS' : 'MISS'} ≥ 3x the traces/s of OTel → ${(tw.tps / ot.tps).toFixed(2)}x`);
    console.log(`  ${tw.p99 <= 5 ? 'PASS' : 'MISS'} event-loop delay p99 ≤ 5 ms → ${tw.p99.toFixed(1)} ms`);
  }
  console.log(`load average at end: ${loadAverage()}`);
  process.exitCode = failed ? 1 : 0;
}
