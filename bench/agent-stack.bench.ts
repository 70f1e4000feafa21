/**
 * Per-call overhead of the agent-stack integrations, each against the same call untraced in
 * the same run: the Vercel AI SDK (generateText / streamText with `aiSdkTelemetry()` vs no
 * telemetry), an OpenAI Agents SDK run (tracewright's processor recording vs tracing off) and
 * an MCP callTool over the SDK's in-memory transport (autologged vs tracing off). Fake OpenAI
 * server on 127.0.0.1. Reports wall medians and mean CPU per call. Run alone:
 *   node --conditions=@tracewright/source --import tsx bench/agent-stack.bench.ts
 */
import { generateText, streamText } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { Agent, OpenAIProvider, Runner, setTracingDisabled } from '@openai/agents';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { InMemoryDestination, disableTracing, enableTracing, setDestination, withSpan } from '@tracewright/runtime';
import { aiSdkTelemetry } from '@tracewright/runtime/ai-sdk';
import { autolog as agentsAutolog } from '@tracewright/runtime/openai-agents';
import { autolog as mcpAutolog } from '@tracewright/runtime/mcp';
import { startFakeOpenAIServer } from '../packages/runtime/src/autolog/testing/fake-openai-server.ts';
import { median } from './harness.ts';

const N = Number(process.env.BENCH_N ?? 300);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 20_000);

type Sample = { wall: number[]; cpu: number };

async function timed(into: Sample, fn: () => Promise<unknown>): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await fn();
  into.wall.push(Number(process.hrtime.bigint() - t0) / 1000);
  const c = process.cpuUsage(c0);
  into.cpu += c.user + c.system;
}

/**
 * Each traced call is paired with an untraced one right before or after it (random order), so
 * load from other processes on this shared machine hits both sides alike.
 */
async function compare(label: string, untraced: () => Promise<unknown>, traced: () => Promise<unknown>, memory: InMemoryDestination): Promise<void> {
  const run = async (pairs: number, a: Sample, b: Sample) => {
    const started = Date.now();
    let i = 0;
    for (; i < pairs && Date.now() - started < BUDGET_MS; i++) {
      if (Math.random() < 0.5) {
        await timed(a, untraced);
        await timed(b, traced);
      } else {
        await timed(b, traced);
        await timed(a, untraced);
      }
      if (i % 50 === 0) memory.clear();
    }
    return i;
  };
  await run(50, { wall: [], cpu: 0 }, { wall: [], cpu: 0 }); // warm-up
  const base: Sample = { wall: [], cpu: 0 };
  const with_: Sample = { wall: [], cpu: 0 };
  const pairs = await run(N, base, with_);
  const w0 = median(base.wall);
  const w1 = median(with_.wall);
  const c0 = base.cpu / pairs;
  const c1 = with_.cpu / pairs;
  console.log(
    `  ${label.padEnd(22)} ${String(pairs).padStart(4)} pairs | wall median: untraced ${w0.toFixed(0).padStart(6)} µs, traced ${w1.toFixed(0).padStart(6)} µs, +${(w1 - w0).toFixed(0)} µs (${(w1 / w0).toFixed(2)}x)` +
      ` | CPU mean: untraced ${c0.toFixed(0).padStart(6)} µs, traced ${c1.toFixed(0).padStart(6)} µs, +${(c1 - c0).toFixed(0)} µs (${(c1 / c0).toFixed(2)}x)`,
  );
}

const withTracing = (on: boolean, fn: () => Promise<unknown>) => async () => {
  if (on) enableTracing();
  else disableTracing();
  try {
    return await fn();
  } finally {
    enableTracing();
  }
};

async function main() {
  const server = await startFakeOpenAIServer();
  const memory = new InMemoryDestination();
  setDestination(memory);
  await withSpan(async () => undefined, { name: 'warm-up' }); // AsyncLocalStorage active on both sides
  console.log('agent-stack integrations: per-call overhead (fake servers on 127.0.0.1 / in-memory MCP transport)');

  const provider = createOpenAI({ baseURL: server.baseURL, apiKey: 'sk-bench' });
  const model = provider.chat('gpt-bench');
  const prompt = 'benchmark the tracing overhead please';
  const telemetry = aiSdkTelemetry();
  await compare('ai generateText', () => generateText({ model, prompt }), () => generateText({ model, prompt, experimental_telemetry: telemetry }), memory);
  // The SDK's own telemetry work (building attributes) with a tracer that records nothing, vs
  // ours: what tracewright itself adds.
  const noopSpan = { setAttribute() { return this; }, setAttributes() { return this; }, addEvent() { return this; }, setStatus() { return this; }, recordException() {}, end() {}, isRecording: () => false, spanContext: () => ({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }) };
  const noopTracer = { startSpan: () => noopSpan, startActiveSpan: (_n: string, ...rest: unknown[]) => (rest[rest.length - 1] as (s: unknown) => unknown)(noopSpan) };
  const sdkOnly = { isEnabled: true, tracer: noopTracer } as never;
  await compare('ai generateText (ours)', () => generateText({ model, prompt, experimental_telemetry: sdkOnly }), () => generateText({ model, prompt, experimental_telemetry: telemetry }), memory);
  const consume = async (r: { textStream: AsyncIterable<string> }) => {
    for await (const _ of r.textStream) void _;
  };
  await compare('ai streamText', () => consume(streamText({ model, prompt })), () => consume(streamText({ model, prompt, experimental_telemetry: telemetry })), memory);

  setTracingDisabled(false);
  await agentsAutolog({ exclusive: true });
  const runner = new Runner({ modelProvider: new OpenAIProvider({ apiKey: 'sk-bench', baseURL: server.baseURL }) });
  const agent = new Agent({ name: 'Bench', model: 'gpt-bench' });
  const run = () => runner.run(agent, prompt);
  await compare('openai-agents run', withTracing(false, run), withTracing(true, run), memory);
  await agentsAutolog({ disable: true });

  await mcpAutolog();
  const mcp = new McpServer({ name: 'bench', version: '1.0.0' });
  mcp.registerTool('echo', { description: 'echo' }, async () => ({ content: [{ type: 'text', text: 'pong' }] }));
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await Promise.all([mcp.connect(a), client.connect(b)]);
  const call = () => client.callTool({ name: 'echo', arguments: {} });
  await compare('mcp callTool', withTracing(false, call), withTracing(true, call), memory);
  await client.close();
  await mcp.close();
  await mcpAutolog({ disable: true });
  await server.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
