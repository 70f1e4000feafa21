/**
 * The worker side of the peer comparison: one process per system, driven over IPC by
 * bench/peers.bench.ts. Each command runs alone (the driver never runs two workers at once).
 *
 *   batch: forced GC, then root calls of one scenario for ~ms milliseconds, yielding to the
 *          event loop about once a millisecond (so batch processors, promise chains and timers
 *          of the tracer run, and their cost is counted); reports calls, wall and CPU time.
 *   heap:  "exports" everything, runs n root calls without exporting, and reports the heap
 *          growth per retained span from n/2 to n calls (process.memoryUsage().heapUsed after GC).
 *   verify: the spans checked at export (named inputs and outputs present) and any failure.
 */
import { setImmediate as tick } from 'node:timers/promises';
import { SCENARIOS, verification, type ScenarioId, type Thunk } from './scenarios.js';

export interface System {
  scenarios: Partial<Record<ScenarioId, Thunk>>;
  /** Spans recorded and not yet exported (for the heap figure); undefined: nothing is retained. */
  pendingSpans?(): number;
  /** Exports (checks and drops) everything retained. */
  exportAll?(): Promise<void> | void;
}

export interface BatchResult {
  ops: number;
  wallNs: number;
  cpuNs: number;
}
export interface HeapResult {
  bytesPerSpan: number;
  pending: number;
}

type Command =
  | { cmd: 'batch'; scenario: ScenarioId; ms: number }
  | { cmd: 'heap'; scenario: ScenarioId; n: number }
  | { cmd: 'verify' }
  | { cmd: 'exit' };

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('peer workers need --expose-gc');

let sink = 0;
function consume(v: unknown): void {
  if (typeof v === 'number') sink += v;
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await tick();
}

async function runBatch(fn: Thunk, isAsync: boolean, ms: number): Promise<BatchResult> {
  gc!();
  await settle();
  const deadline = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let ops = 0;
  let chunk = 16;
  for (;;) {
    const c0 = process.hrtime.bigint();
    if (isAsync) for (let i = 0; i < chunk; i++) consume(await (fn() as Promise<unknown>));
    else for (let i = 0; i < chunk; i++) consume(fn());
    ops += chunk;
    await tick();
    const now = process.hrtime.bigint();
    if (now >= deadline) break;
    // ~1 ms of calls per chunk: the yield costs well under 1% of a chunk.
    const took = Number(now - c0);
    chunk = Math.max(1, Math.min(chunk * 4, Math.round((chunk * 1e6) / Math.max(took, 1))));
  }
  const wallNs = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  return { ops, wallNs, cpuNs: (cpu.user + cpu.system) * 1000 };
}

async function runHeap(system: System, fn: Thunk, isAsync: boolean, n: number, spans: number): Promise<HeapResult> {
  await system.exportAll?.();
  await settle();
  // The figure is the growth between n/2 and n retained calls: what the process allocates once
  // for itself in the first calls (code compiled for the loop, a pool refilled) is not a
  // retained span's cost.
  const half = n >> 1;
  let first = { heap: 0, pending: 0 };
  for (let i = 0; i < n; i++) {
    if (i === half) first = await heapNow(system, i * spans);
    consume(isAsync ? await (fn() as Promise<unknown>) : fn());
    if (i % 64 === 63) await tick();
  }
  const last = await heapNow(system, n * spans);
  await system.exportAll?.();
  return { bytesPerSpan: (last.heap - first.heap) / Math.max(last.pending - first.pending, 1), pending: last.pending };
}

async function heapNow(system: System, calledSpans: number): Promise<{ heap: number; pending: number }> {
  await settle();
  gc!();
  gc!();
  return { heap: process.memoryUsage().heapUsed, pending: system.pendingSpans?.() ?? calledSpans };
}

export function runWorker(system: System): void {
  process.on('message', async (msg: Command) => {
    try {
      if (msg.cmd === 'exit') {
        if (sink === 0.5) console.log(''); // keeps results observable to the JIT
        process.disconnect();
        return;
      }
      if (msg.cmd === 'verify') {
        await system.exportAll?.();
        await settle();
        process.send!({ ok: true, result: verification() });
        return;
      }
      const fn = system.scenarios[msg.scenario];
      if (!fn) throw new Error(`scenario ${msg.scenario} not supported`);
      const spec = SCENARIOS[msg.scenario];
      const result =
        msg.cmd === 'batch' ? await runBatch(fn, spec.async, msg.ms) : await runHeap(system, fn, spec.async, msg.n, spec.spans);
      process.send!({ ok: true, result });
    } catch (error) {
      process.send!({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  process.send!({ ok: true, result: 'ready' });
}
