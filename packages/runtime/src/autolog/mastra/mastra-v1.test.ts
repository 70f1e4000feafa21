/**
 * Mastra 1.x (Node >= 22): the real `@mastra/core` 1.x and `@mastra/observability` from the
 * registry (pinned; installed once into platforms/node-family/.runtimes, not workspace
 * devDependencies: the workspace tests 0.24 on Node 20 in mastra.test.ts) under the registry's
 * Node 22, against the fake OpenAI server on 127.0.0.1. The programme is
 * __tests__/mastra1-child.ts.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, test } from 'vitest';
import { bundleInto, ensureNode22, ensurePackages, lastJsonLine, run } from '../../../../../platforms/node-family/harness.js';
import { helperRunWithTool } from './__tests__/expected-trees.js';

const MASTRA1 = { '@mastra/core': '1.71.0', '@mastra/observability': '1.17.9', zod: '4.6.7' };

interface SpanOut {
  name: string;
  type: string;
  parent: string | null;
  status: string;
  attributes: Record<string, unknown>;
  tokenUsage?: { input_tokens: number; output_tokens: number; total_tokens: number };
  exception?: string;
  exceptionMessage?: string;
}
interface TraceOut {
  tree: any;
  spans: SpanOut[];
  usage?: unknown;
  hasSecret: boolean;
}
type Results = Record<string, { out: any; traces: TraceOut[] }>;

let child: { exporter: Results; autologged: Results & { otherEvents: number }; patched: any; internalErrors: number };

beforeAll(async () => {
  const dir = ensurePackages('mastra-1', MASTRA1);
  const program = await bundleInto(dir, fileURLToPath(new URL('./__tests__/mastra1-child.ts', import.meta.url)), ['@mastra/*', 'zod']);
  const r = await run(ensureNode22(), [program], { cwd: dir, env: { MASTRA_TELEMETRY_DISABLED: '1' }, timeoutMs: 120_000 });
  expect(r.code, r.stderr).toBe(0);
  child = lastJsonLine(r);
}, 240_000);

/** The trace's span tree; every span but the root has its parent in the trace. */
function tree(trace: TraceOut): any {
  expect(trace.spans.filter((s) => s.parent === null).map((s) => s.name), 'spans without a parent in the trace').toEqual([trace.tree.name]);
  return trace.tree;
}
const only = (trace: TraceOut, name: string) => {
  const found = trace.spans.filter((s) => s.name === name);
  expect(found, `spans named ${name}`).toHaveLength(1);
  return found[0]!;
};
const K = { MODEL: 'mlflow.llm.model', PROVIDER: 'mlflow.llm.provider' };

test('mastraExporter(): agent.generate with a tool call under the caller: AGENT → CHAT_MODEL → LLM per step → TOOL; usage counted once; no key', () => {
  const { out, traces } = child.exporter.generate!;
  expect(out.text).toBe('Echo: find tracing docs');
  expect(traces).toHaveLength(1);
  const [trace] = traces as [TraceOut];
  expect(tree(trace)).toMatchObject({ name: 'request', children: [{ ...helperRunWithTool('find tracing docs'), status: 'OK' }] });
  // 1.x's model inference inside each step and the streamed chunks are not spans.
  expect(trace.spans.map((s) => s.attributes['mastra.span.type'])).not.toContain('model_inference');
  const generation = only(trace, "llm: 'gpt-4o-mini'");
  expect(generation.attributes[K.MODEL]).toBe('gpt-4o-mini');
  expect(generation.attributes[K.PROVIDER]).toBe('openai');
  expect(only(trace, 'step: 1').attributes[K.MODEL]).toBe('gpt-4o-mini');
  expect(generation.tokenUsage).toMatchObject({ input_tokens: out.usage.in, output_tokens: out.usage.out, total_tokens: out.usage.total });
  const steps = trace.spans.filter((s) => s.type === 'LLM');
  expect(steps.reduce((n, s) => n + s.tokenUsage!.total_tokens, 0)).toBe(out.usage.total);
  expect(trace.usage).toEqual(generation.tokenUsage);
  expect(trace.hasSecret).toBe(false);
});

test('mastraExporter(): agent.stream: the spans end when the stream is consumed', () => {
  const { out, traces } = child.exporter.stream!;
  expect(out).toBe('Echo: stream these words');
  expect(traces).toHaveLength(1);
  expect(tree(traces[0]!)).toMatchObject({ type: 'AGENT', status: 'OK', children: [{ type: 'CHAT_MODEL', status: 'OK', children: [{ type: 'LLM', status: 'OK', outputs: { text: out } }] }] });
});

test('mastraExporter(): a workflow run is a CHAIN with a CHAIN per step, inputs and outputs', () => {
  const { out, traces } = child.exporter.workflow!;
  expect(out).toEqual({ status: 'success', result: { n: 7 } });
  expect(traces).toHaveLength(1);
  expect(tree(traces[0]!)).toMatchObject({
    name: "workflow run: 'math'",
    type: 'CHAIN',
    inputs: { n: 3 },
    outputs: { n: 7 },
    children: [
      { name: "workflow step: 'double'", type: 'CHAIN', inputs: { n: 3 }, outputs: { n: 6 } },
      { name: "workflow step: 'add-one'", type: 'CHAIN', inputs: { n: 6 }, outputs: { n: 7 } },
    ],
  });
});

test('the combining shape: @Trace(CHAIN) → @Trace(RETRIEVER) → Mastra agent: one trace, usage on the model spans and the trace', () => {
  const { out, traces } = child.exporter.combining!;
  expect(out).toBe('Echo: tracing records spans for spans\nspans');
  expect(traces).toHaveLength(1);
  const [trace] = traces as [TraceOut];
  expect(tree(trace)).toMatchObject({
    name: 'ragQuery',
    type: 'CHAIN',
    inputs: { question: 'spans' },
    outputs: out,
    children: [
      { name: 'search', type: 'RETRIEVER', inputs: { query: 'spans' }, children: [] },
      { name: "agent run: 'plain'", type: 'AGENT', children: [{ type: 'CHAT_MODEL', children: [{ type: 'LLM' }] }] },
    ],
  });
  const generation = only(trace, "llm: 'gpt-4o-mini'");
  expect(generation.tokenUsage!.input_tokens).toBeGreaterThan(0);
  expect(trace.usage).toEqual(generation.tokenUsage);
});

test('mastraExporter(): an API error quoting the key: the same error reaches the caller; the run is ERROR with the class name, the key masked', () => {
  const { out, traces } = child.exporter.error!;
  expect(out).toEqual({ error: 'AI_APICallError' });
  expect(traces).toHaveLength(1);
  const run = only(traces[0]!, "agent run: 'rejecting'");
  expect(run).toMatchObject({ type: 'AGENT', status: 'ERROR', exception: 'AI_APICallError' });
  expect(run.exceptionMessage).toContain('[REDACTED]');
  expect(traces[0]!.hasSecret).toBe(false);
});

test('mastraExporter(): a tool that throws: its TOOL span is ERROR with the error\'s class name; the run goes on (Mastra hands the error to the model)', () => {
  const { out, traces } = child.exporter.toolError!;
  expect(out).toBe('Echo: find docs');
  expect(traces).toHaveLength(1);
  expect(tree(traces[0]!)).toMatchObject({
    name: "agent run: 'broken'",
    status: 'OK',
    children: [{ type: 'CHAT_MODEL', children: [{ name: 'step: 0', children: [{ name: "tool: 'searchDocs'", type: 'TOOL', status: 'ERROR', inputs: { query: 'find docs' } }] }, { name: 'step: 1' }] }],
  });
  expect(only(traces[0]!, "tool: 'searchDocs'")).toMatchObject({ exception: 'RangeError', exceptionMessage: 'index offline' });
});

test('20 concurrent streamed agent runs: 20 traces, each with exactly its own run under its own caller', () => {
  const { out, traces } = child.exporter.concurrent!;
  expect(out).toBe(20);
  expect(traces).toHaveLength(20);
  const seen = new Set<string>();
  for (const trace of traces) {
    const t = tree(trace);
    const i = t.name.slice('req-'.length);
    seen.add(i);
    expect(t.children).toHaveLength(1);
    expect(t.children[0]).toMatchObject({ type: 'AGENT', inputs: `about q${i}`, outputs: { text: `Echo: about q${i}` } });
    expect(JSON.stringify(trace.spans).match(/\bq\d+\b/g)!.every((m) => m === `q${i}`)).toBe(true);
  }
  expect(seen.size).toBe(20);
});

test('autolog() reaches a 1.x Mastra with any observability config (its own exporter still gets every event); idempotent', () => {
  expect(child.patched.first.copies).toBeGreaterThan(0);
  expect(child.patched.again).toEqual(child.patched.first);
  expect(child.patched.observability).toBeGreaterThan(0);
  const { out, traces } = child.autologged.generate!;
  expect(out).toBe('Echo: autologged');
  expect(traces).toHaveLength(1);
  expect(tree(traces[0]!)).toMatchObject({
    name: 'request',
    children: [{ type: 'AGENT', children: [{ type: 'CHAT_MODEL', children: [{ type: 'LLM', children: [{ type: 'TOOL' }] }, { type: 'LLM' }] }] }],
  });
  expect(traces[0]!.usage).toEqual(only(traces[0]!, "llm: 'gpt-4o-mini'").tokenUsage);
  expect(child.autologged.otherEvents).toBeGreaterThanOrEqual(12);
});

test('autolog(): an API error quoting the key: the run ERROR with the class name, the key of the called agent masked', () => {
  const { out, traces } = child.autologged.error!;
  expect(out).toEqual({ error: 'AI_APICallError' });
  const run = only(traces[0]!, "agent run: 'rejecting'");
  expect(run).toMatchObject({ status: 'ERROR', exception: 'AI_APICallError' });
  expect(run.exceptionMessage).toContain('[REDACTED]');
  expect(traces[0]!.hasSecret).toBe(false);
});

test('autolog({ disable: true }) restores Mastra 1.x: nothing patched, nothing recorded, its own exporter still served', () => {
  const { out, traces } = child.autologged.disabled!;
  expect(out.text).toBe('Echo: untraced');
  expect(out.patched).toBe(0);
  expect(out.otherEvents).toBeGreaterThan(0);
  expect(traces).toEqual([]);
  expect(child.internalErrors).toBe(0);
});
