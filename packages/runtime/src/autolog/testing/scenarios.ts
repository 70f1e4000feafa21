/**
 * Scenarios every provider integration's test runs with its own SDK call: the seed's combining
 * test (compiled `@Trace` pipeline → retriever → autologged call) and N concurrent streamed
 * calls that must give N separate traces.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { importCompiled } from '../../core/__tests__/compile.js';
import { tree } from '../../core/__tests__/memory.js';
import { withSpan } from '../../api/spans.js';
import { SpanType } from '../../model/constants.js';
import type { Trace } from '../../model/trace.js';
import type { InMemoryDestination } from '../../export/in-memory.js';
import { until } from './traces.js';

const PIPELINE = readFileSync(new URL('./rag-pipeline.ts', import.meta.url), 'utf8');

/**
 * Runs `ragQuery(question)` of a compiled `@Trace` pipeline whose LLM step is `llm` (the
 * autologged SDK call) and checks the tree: CHAIN root → RETRIEVER, then the SDK's span(s).
 * Returns the one trace.
 */
export async function runCombining(memory: InMemoryDestination, llm: (context: string, question: string) => Promise<string>, question = 'spans'): Promise<{ answer: string; trace: Trace }> {
  const { RagApp } = await importCompiled(PIPELINE);
  const answer = (await new RagApp(llm).ragQuery(question)) as string;
  await until(() => memory.traces.length === 1, 'trace export');
  expect(memory.traces).toHaveLength(1);
  const trace = memory.traces[0]!;
  const t = tree(trace);
  expect(t).toMatchObject({ name: 'ragQuery', type: 'CHAIN', status: 'OK', inputs: { question }, outputs: answer });
  expect(t.children[0]).toMatchObject({ name: 'search', type: 'RETRIEVER', inputs: { query: question }, children: [] });
  expect(t.children.length).toBeGreaterThan(1);
  return { answer, trace };
}

/**
 * Runs `n` streamed calls concurrently, call i inside its own span `req-i` with the marker
 * `q<i>` in its prompt; every trace must hold exactly its own call (no crossed spans).
 */
export async function runConcurrentStreams(memory: InMemoryDestination, n: number, call: (marker: string) => Promise<string>): Promise<void> {
  const answers = await Promise.all(
    Array.from({ length: n }, (_, i) => withSpan(() => call(`q${i}`), { name: `req-${i}`, spanType: SpanType.CHAIN })),
  );
  answers.forEach((a, i) => expect(a).toContain(`q${i}`));
  await until(() => memory.traces.length === n, `${n} traces`);
  expect(memory.traces).toHaveLength(n);
  for (const trace of memory.traces) {
    const root = trace.data.spans.find((s) => s.parentId === null || s.parentId === undefined)!;
    const i = Number(root.name.slice('req-'.length));
    expect(trace.data.spans.length).toBeGreaterThan(1);
    for (const span of trace.data.spans) expect(span.traceId).toBe(root.traceId);
    // What the spans recorded, not the trace's JSON: span ids are base64 there, and one such as
    // "q2+h8amW/4k=" holds a word "q2".
    const recorded = JSON.stringify(trace.data.spans.map((s) => [s.encodedAttributes, s.events.map((e) => [e.name, e.attributes])]));
    const markers = new Set(recorded.match(/\bq\d+\b/g));
    expect([...markers]).toEqual([`q${i}`]);
  }
}

interface ClientScenario<C extends object> {
  autolog(options?: { disable?: boolean }): Promise<unknown>;
  /** The integration's name in the patch registry. */
  integration: string;
  newClient(): C;
  /** One call whose request carries `text` (read back from the span with `textOf`). */
  call(client: C, text: string): Promise<unknown>;
  textOf(inputs: any): unknown;
}

/** `autolog({ disable: true })` restores the SDK: nothing patched, calls untraced; autolog is on again after. */
export async function runDisableScenario<C extends object>(memory: InMemoryDestination, s: ClientScenario<C>, patchedCount: (integration: string) => number): Promise<void> {
  await s.autolog({ disable: true });
  expect(patchedCount(s.integration)).toBe(0);
  await s.call(s.newClient(), 'untraced');
  expect(memory.traces).toHaveLength(0);
  await s.autolog();
}

/**
 * `traced<Client>(client)` instruments the same object in place, idempotently, without patching
 * the SDK (another client stays untraced), and with autolog on as well a call gives one span.
 */
export async function runTracedClientScenario<C extends object>(memory: InMemoryDestination, s: ClientScenario<C>, traced: (client: C) => C): Promise<void> {
  await s.autolog({ disable: true });
  const client = s.newClient();
  const keys = Object.keys(client);
  expect(traced(client)).toBe(client);
  expect(traced(client)).toBe(client);
  expect(Object.keys(client)).toEqual(keys);
  await s.call(client, 'one');
  await s.call(s.newClient(), 'untraced');
  await s.autolog();
  await s.call(client, 'two');
  await until(() => memory.traces.length === 2, 'two traces');
  expect(memory.traces.map((t) => t.data.spans.map((span) => s.textOf(span.inputs)))).toEqual([['one'], ['two']]);
  await s.autolog({ disable: true });
}

/** Runs `fn` inside a CHAIN span named "request" (the user's own span an SDK call must nest under). */
export const underRequestSpan = <T>(fn: () => Promise<T>): Promise<T> => withSpan(fn, { name: 'request', spanType: SpanType.CHAIN });

/** One function tool in the OpenAI-style form Mistral, Ollama and Cohere take (and `mlflow.chat.tools` records). */
export const SEARCH_TOOLS = [
  { type: 'function' as const, function: { name: 'search_docs', description: 'Search the docs', parameters: { type: 'object', properties: { query: { type: 'string' } } } } },
];
