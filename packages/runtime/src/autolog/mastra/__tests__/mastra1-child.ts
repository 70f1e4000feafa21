/**
 * Runs under Node 22 with `@mastra/core` 1.x and `@mastra/observability` (installed by
 * mastra-v1.test.ts, which bundles this file next to them) against the fake OpenAI server on
 * 127.0.0.1: first `mastraExporter()` in a 1.x observability config (agent with a tool call,
 * stream, workflow, the combining shape, an API error quoting the key, 20 concurrent runs),
 * a tool that throws, then `autolog()` for a Mastra whose config has another exporter. Prints one JSON line: each
 * scenario's result and the traces it produced.
 */
import { Mastra } from '@mastra/core/mastra';
import { Agent } from '@mastra/core/agent';
import { createTool } from '@mastra/core/tools';
import { createStep, createWorkflow } from '@mastra/core/workflows';
import { z } from 'zod';
import { autolog, mastraExporter } from '../index.js';
import { setDestination } from '../../../api/control.js';
import { withSpan } from '../../../api/spans.js';
import { getTracingDiagnostics } from '../../../core/diagnostics.js';
import { InMemoryDestination } from '../../../export/in-memory.js';
import { SpanType } from '../../../model/constants.js';
import type { Trace as TraceEntity } from '../../../model/trace.js';
import { patchedCount } from '../../common/patch-registry.js';
import { startFakeOpenAIServer } from '../../testing/fake-openai-server.js';
import { scenarioRunner, traceSummary } from '../../testing/child-scenarios.js';
import { RagApp } from '../../testing/rag-pipeline.js';
import { tree } from '../../../core/__tests__/span-tree.js';

const SECRET = 'sk-mastra1-SECRET-3c9d0e';
// Typed by hand: the workspace has Mastra 0.24's types and no @mastra/observability.
const { Observability } = (await import('@mastra/observability' as string)) as { Observability: new (config: object) => never };

const memory = new InMemoryDestination();
setDestination(memory);
const server = await startFakeOpenAIServer();

const searchDocs = createTool({
  id: 'search_docs',
  description: 'Search the docs',
  inputSchema: z.object({ query: z.string() }),
  // 1.x passes the input itself (0.24, whose types the workspace has, passed `{ context }`).
  execute: async (input) => `docs about ${(input as unknown as { query: string }).query}`,
});

const brokenSearch = createTool({
  id: 'search_docs',
  description: 'Search the docs',
  inputSchema: z.object({ query: z.string() }),
  execute: async (): Promise<string> => {
    throw new RangeError('index offline');
  },
});

const newAgent = (id: string, model: string, tools?: Record<string, unknown>) =>
  new Agent({ id, name: id, instructions: 'be brief', model: { id: `openai/${model}`, url: server.baseURL, apiKey: SECRET }, ...(tools ? { tools: tools as never } : {}) });

const numbers = { inputSchema: z.object({ n: z.number() }), outputSchema: z.object({ n: z.number() }) };
const double = createStep({ id: 'double', ...numbers, execute: async ({ inputData }) => ({ n: inputData.n * 2 }) });
const addOne = createStep({ id: 'add-one', ...numbers, execute: async ({ inputData }) => ({ n: inputData.n + 1 }) });

let apps = 0;
/** A Mastra app whose one observability config sends to `exporter` (ours, or any other for autolog). */
const newMastra = (exporter: unknown) =>
  new Mastra({
    agents: {
      helper: newAgent('helper', 'gpt-4o-mini', { searchDocs }),
      broken: newAgent('broken', 'gpt-4o-mini', { searchDocs: brokenSearch }),
      plain: newAgent('plain', 'gpt-4o-mini'),
      rejecting: newAgent('rejecting', 'reject-key'),
    },
    workflows: { math: createWorkflow({ id: 'math', ...numbers }).then(double).then(addOne).commit() },
    observability: new Observability({ configs: { [`app-${++apps}`]: { serviceName: 'test', exporters: [exporter] } } }),
    logger: false,
  });

const view = (t: TraceEntity) => ({ tree: tree(t), ...traceSummary(t, SECRET) });

const scenario = scenarioRunner(memory, view, (error) => ({ error: (error as Error).name }));

/** Waits (by event-loop turns, not time) until `n` traces were written. */
async function tracesWritten(n: number): Promise<void> {
  for (let i = 0; i < 5000 && memory.traces.length < n; i++) await new Promise((r) => setImmediate(r));
}

const usageOf = (r: { usage?: { inputTokens?: number; outputTokens?: number; totalTokens?: number } }) => ({ in: r.usage?.inputTokens, out: r.usage?.outputTokens, total: r.usage?.totalTokens });

const streamText = async (agent: Agent, prompt: string) => {
  let text = '';
  for await (const piece of (await agent.stream(prompt)).textStream) text += piece;
  return text;
};

const app = newMastra(mastraExporter());

const exporter = {
  generate: await scenario(() =>
    withSpan(
      async () => {
        const r = await app.getAgent('helper').generate('find tracing docs');
        return { text: r.text, usage: usageOf(r) };
      },
      { name: 'request', spanType: SpanType.CHAIN },
    ),
  ),
  stream: await scenario(() => streamText(app.getAgent('plain'), 'stream these words')),
  workflow: await scenario(async () => {
    const run = await app.getWorkflow('math').createRun();
    const r = await run.start({ inputData: { n: 3 } });
    return { status: r.status, result: r.status === 'success' ? r.result : undefined };
  }),
  combining: await scenario(() => new RagApp(async (context, question) => (await app.getAgent('plain').generate(`${context}\n${question}`)).text).ragQuery('spans')),
  error: await scenario(() => app.getAgent('rejecting').generate('x')),
  toolError: await scenario(async () => (await app.getAgent('broken').generate('find docs')).text),
  concurrent: await scenario(async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => withSpan(() => streamText(app.getAgent('plain'), `about q${i}`), { name: `req-${i}` })));
    await tracesWritten(20);
    return answers.filter((a, i) => a === `Echo: about q${i}`).length;
  }),
};

// autolog(): a Mastra whose observability config has someone else's exporter.
const events: string[] = [];
const other = { name: 'other', exportTracingEvent: async (e: { type: string }) => void events.push(e.type), flush: async () => undefined, shutdown: async () => undefined };
const first = await autolog();
const again = await autolog();
const patched = { first, again, observability: patchedCount('mastra:observability'), agent: patchedCount('mastra:agent') };
const otherApp = newMastra(other);

const autologged = {
  generate: await scenario(() =>
    withSpan(async () => (await otherApp.getAgent('helper').generate('autologged')).text, { name: 'request', spanType: SpanType.CHAIN }),
  ),
  otherEvents: events.length,
  error: await scenario(() => otherApp.getAgent('rejecting').generate('x')),
  disabled: await scenario(async () => {
    await autolog({ disable: true });
    events.length = 0;
    const text = (await otherApp.getAgent('plain').generate('untraced')).text;
    return { text, otherEvents: events.length, patched: patchedCount('mastra:observability') + patchedCount('mastra:agent') };
  }),
};

server.close();
console.log(JSON.stringify({ exporter, autologged, patched, internalErrors: getTracingDiagnostics().totalErrors }));
