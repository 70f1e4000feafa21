/**
 * The seed's recommended setup: autologging combined with the user's own @Trace functions, so
 * the LLM call appears inside the user's pipeline span.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { importCompiled } from '../core/__tests__/compile.js';
import { useMemoryDestination, tree } from '../core/__tests__/memory.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from './testing/fake-openai-server.js';
import { traceTokenUsage, until } from './testing/traces.js';
import { autolog } from './openai/index.js';
import { traceToJsonText } from '../model/json.js';

const APP = `
import { Trace, SpanType } from '@tracewright/runtime';
import OpenAI from 'openai';

class Retriever {
  @Trace(SpanType.RETRIEVER)
  async search(query: string) {
    return [{ page_content: 'MLflow Tracing records spans for ' + query, metadata: { source: 'tracing.md' } }];
  }
}

export class RagApp {
  retriever = new Retriever();
  client: OpenAI;
  constructor(baseURL: string) {
    this.client = new OpenAI({ apiKey: 'sk-rag-SECRET', baseURL });
  }

  @Trace(SpanType.CHAIN)
  async ragQuery(question: string) {
    const docs = await this.retriever.search(question);
    const res = await this.client.chat.completions.create({
      model: 'gpt-rag',
      messages: [
        { role: 'system', content: 'Context: ' + docs.map((d) => d.page_content).join(' ') },
        { role: 'user', content: question },
      ],
    });
    return res.choices[0].message.content;
  }
}
`;

const memory = useMemoryDestination();
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ reply: (q) => `Tracing answer for: ${q}` });
  await autolog();
});
afterAll(async () => {
  await autolog({ disable: true });
  await server.close();
});

test('@Trace(CHAIN) ragQuery calling a traced retriever and an autologged client: one trace, correct tree, token usage', async () => {
  const { RagApp } = await importCompiled(APP);
  const app = new RagApp(server.baseURL);
  const answer = await app.ragQuery('spans');
  expect(answer).toBe('Tracing answer for: spans');
  await until(() => memory.traces.length === 1, 'trace export');
  const trace = memory.traces[0]!;
  const t = tree(trace);
  expect(t).toMatchObject({
    name: 'ragQuery',
    type: 'CHAIN',
    status: 'OK',
    inputs: { question: 'spans' },
    outputs: 'Tracing answer for: spans',
    children: [
      { name: 'search', type: 'RETRIEVER', inputs: { query: 'spans' }, children: [] },
      { name: 'Completions', type: 'LLM', status: 'OK', children: [] },
    ],
  });
  const llm = trace.data.spans.find((s) => s.name === 'Completions')!;
  // system: "Context: MLflow Tracing records spans for spans" (7) + user "spans" (1); reply 4 words
  expect(llm.tokenUsage).toEqual({ input_tokens: 8, output_tokens: 4, total_tokens: 12 });
  expect(traceTokenUsage(trace)).toEqual({ input_tokens: 8, output_tokens: 4, total_tokens: 12 });
  expect((llm.inputs as any).messages[1]).toEqual({ role: 'user', content: 'spans' });
  expect(traceToJsonText(trace)).not.toContain('SECRET');
});
