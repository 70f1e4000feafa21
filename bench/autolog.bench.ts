/**
 * Overhead of autologging per LLM call: the same OpenAI chat completion (plain and streamed)
 * against a local fake server, untraced vs autologged, in one run. Reports medians (µs), the
 * difference and the ratio. Run alone:
 *   node --conditions=@tracewright/source --import tsx bench/autolog.bench.ts
 */
import OpenAI from 'openai';
import { InMemoryDestination, disableTracing, enableTracing, setDestination, withSpan } from '@tracewright/runtime';
import { autolog } from '@tracewright/runtime/openai';
import { startFakeOpenAIServer } from '../packages/runtime/src/autolog/testing/fake-openai-server.ts';

const N = Number(process.env.BENCH_N ?? 1000);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function main() {
  const server = await startFakeOpenAIServer();
  const memory = new InMemoryDestination();
  setDestination(memory);
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL: server.baseURL, maxRetries: 0 });
  const messages = [{ role: 'user' as const, content: 'benchmark the tracing overhead please' }];

  const plain = () => client.chat.completions.create({ model: 'gpt-bench', messages });
  const streamed = async () => {
    const s = await client.chat.completions.create({ model: 'gpt-bench', messages, stream: true, stream_options: { include_usage: true } });
    for await (const _ of s) void _;
  };

  const wall: Record<string, number[]> = {};
  const cpu: Record<string, number> = {};
  const time = async (key: string, fn: () => Promise<unknown>) => {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await fn();
    const t1 = process.hrtime.bigint();
    const c = process.cpuUsage(c0);
    (wall[key] ??= []).push(Number(t1 - t0) / 1000);
    cpu[key] = (cpu[key] ?? 0) + c.user + c.system;
  };
  // Each traced call is paired with an untraced one made right before or after it (random
  // order), so load from other processes on this shared machine hits both sides alike. The
  // untraced side runs with tracing disabled (the patched method then calls the SDK at once):
  // re-patching the SDK between calls would deoptimize its code and distort both sides.
  const pair = async (kind: string, fn: () => Promise<unknown>) => {
    const tracedFirst = Math.random() < 0.5;
    for (const traced of tracedFirst ? [true, false] : [false, true]) {
      if (traced) enableTracing();
      else disableTracing();
      await time(`${kind}/${traced ? 'autolog' : 'untraced'}`, fn);
    }
    enableTracing();
  };

  // An app that traces anything has AsyncLocalStorage active; include that in both sides.
  await withSpan(async () => undefined, { name: 'warm-up' });
  await autolog();
  for (let i = 0; i < 100; i++) {
    await pair('plain', plain);
    await pair('stream', streamed);
  }
  for (const k of Object.keys(wall)) wall[k] = [];
  for (const k of Object.keys(cpu)) cpu[k] = 0;

  const started = Date.now();
  let pairs = 0;
  while (pairs < N && Date.now() - started < 40_000) {
    await pair('plain', plain);
    await pair('stream', streamed);
    if (++pairs % 100 === 0) memory.clear();
  }
  await autolog({ disable: true });
  await server.close();

  console.log(`autolog overhead per OpenAI chat completion (fake server on 127.0.0.1, ${pairs} paired calls each)`);
  for (const kind of ['plain', 'stream']) {
    const base = median(wall[`${kind}/untraced`]!);
    const traced = median(wall[`${kind}/autolog`]!);
    const cpuBase = cpu[`${kind}/untraced`]! / pairs;
    const cpuTraced = cpu[`${kind}/autolog`]! / pairs;
    console.log(
      `  ${kind.padEnd(6)} wall median: untraced ${base.toFixed(0).padStart(6)} µs, autologged ${traced.toFixed(0).padStart(6)} µs, +${(traced - base).toFixed(0)} µs (${(traced / base).toFixed(2)}x)` +
        ` | CPU mean: untraced ${cpuBase.toFixed(0).padStart(5)} µs, autologged ${cpuTraced.toFixed(0).padStart(5)} µs, +${(cpuTraced - cpuBase).toFixed(0)} µs (${(cpuTraced / cpuBase).toFixed(2)}x)`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
