/** Test-only: real traces from the runtime's own tracer (no hand-built fixtures). */
import { setDestination, trace, updateCurrentTrace, withSpan } from '../../index.js';
import { InMemoryDestination } from '../../export/in-memory.js';
import type { Trace } from '../../model/trace.js';

/** Runs a small agent-like workload `count` times and returns the finished traces. */
export async function makeTraces(count: number, opts: { user?: string; session?: string; childSpans?: number } = {}): Promise<Trace[]> {
  const memory = new InMemoryDestination();
  setDestination(memory);
  const tool = trace(async (query: string) => ({ hits: [query.length, 2.5, true] }), { name: 'search_tool', spanType: 'TOOL' });
  const agent = trace(
    async (question: string, i: number) => {
      updateCurrentTrace({ tags: { run: `r${i}`, team: 'ml' }, ...(opts.user ? { user: opts.user } : {}), ...(opts.session ? { sessionId: opts.session } : {}) });
      for (let c = 0; c < (opts.childSpans ?? 1); c++) await tool(`${question} #${c}`);
      await withSpan(async (span) => {
        span.setInputs({ messages: [{ role: 'user', content: question }] });
        span.setAttribute('mlflow.chat.tokenUsage', { input_tokens: 7, output_tokens: 3, total_tokens: 10 });
        span.addEvent({ name: 'chunk', attributes: { index: 1, text: 'hé', ok: true, ratio: 0.5, tags: ['a', 'b'] } });
        span.setOutputs('answer');
      }, { name: 'llm', spanType: 'LLM' });
      return `answer ${i}`;
    },
    { name: 'agent', spanType: 'AGENT' },
  );
  for (let i = 0; i < count; i++) await agent(`question ${i}`, i);
  setDestination(undefined);
  return [...memory.traces];
}

/** One trace whose root span fails (status ERROR, exception event). */
export async function makeErrorTrace(): Promise<Trace> {
  const memory = new InMemoryDestination();
  setDestination(memory);
  const failing = trace(async () => {
    throw new TypeError('boom');
  }, { name: 'failing', spanType: 'CHAIN' });
  await failing().catch(() => undefined);
  setDestination(undefined);
  return memory.traces[0]!;
}
