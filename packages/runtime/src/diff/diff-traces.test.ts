/**
 * diffTraces on traces recorded by the real tracer from a small agent program (retrieval, a
 * reasoning loop with an LLM span carrying token usage, tool calls), run twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryDestination, setDestination, trace, withSpan } from '../index.js';
import type { Trace } from '../model/trace.js';
import { diffTraces } from './diff-traces.js';

afterEach(() => setDestination(undefined));

interface World {
  /** the weather service's answer for Oslo (the one tool result that may differ) */
  osloSource: string;
  turns: number;
  tokens: number;
}

async function runAgent(world: World): Promise<Trace> {
  const memory = new InMemoryDestination();
  setDestination(memory);
  const weather = trace((city: string) => ({ city, forecast: city === 'Oslo' ? '4°C' : '18°C', source: city === 'Oslo' ? world.osloSource : 'met' }), { name: 'get_weather', spanType: 'TOOL' });
  const retrieve = trace(async (q: string) => [`doc about ${q}`], { name: 'retrieve', spanType: 'RETRIEVER' });
  const agent = trace(
    async (question: string) => {
      const docs = await retrieve(question);
      const forecasts: string[] = [];
      for (let turn = 0; turn < world.turns; turn++) {
        await withSpan(
          async (span) => {
            span.setInputs({ turn, docs });
            span.setAttribute('mlflow.chat.tokenUsage', { input_tokens: world.tokens, output_tokens: 5, total_tokens: world.tokens + 5 });
            span.setOutputs({ call: 'get_weather' });
          },
          { name: 'llm', spanType: 'LLM' },
        );
        forecasts.push(weather(turn % 2 === 0 ? 'Paris' : 'Oslo').forecast);
      }
      return forecasts.join(', ');
    },
    { name: 'agent', spanType: 'AGENT' },
  );
  await agent('weather in Paris and Oslo?');
  return memory.traces[0]!;
}

describe('diffTraces', () => {
  it('two runs identical but for one tool result: that result is the only input/output/attribute change', async () => {
    const a = await runAgent({ osloSource: 'met', turns: 2, tokens: 10 });
    const b = await runAgent({ osloSource: 'yr', turns: 2, tokens: 12 });
    const d = diffTraces(a, b);
    expect(d.summary).toEqual({ same: 5, changed: 1, added: 0, removed: 0 });
    const changed = d.spans.filter((s) => s.status !== 'same');
    expect(changed.map((s) => s.path)).toEqual(['agent/get_weather[1]']);
    expect(changed[0]!.changes).toEqual([{ field: 'outputs', path: '$.source', before: 'met', after: 'yr' }]);
    // repeated calls are matched by iteration order
    expect(d.spans.map((s) => s.path)).toEqual(['agent', 'agent/retrieve', 'agent/llm[0]', 'agent/get_weather[0]', 'agent/llm[1]', 'agent/get_weather[1]']);
    // token and timing deltas are reported apart from the changes
    expect(d.totalTokens).toEqual({ a: 30, b: 34, delta: 4 });
    expect(d.spans.find((s) => s.path === 'agent/llm[1]')!.totalTokens).toEqual({ a: 15, b: 17, delta: 2 });
    expect(d.spans.every((s) => typeof s.durationMs.delta === 'number')).toBe(true);
  });

  it('an extra loop iteration shows as added spans, the earlier iterations unchanged', async () => {
    const a = await runAgent({ osloSource: 'met', turns: 2, tokens: 10 });
    const b = await runAgent({ osloSource: 'met', turns: 3, tokens: 10 });
    const d = diffTraces(a, b);
    expect(d.spans.filter((s) => s.status === 'added').map((s) => s.path)).toEqual(['agent/llm[2]', 'agent/get_weather[2]']);
    const changed = d.spans.filter((s) => s.status === 'changed');
    expect(changed.map((s) => s.path)).toEqual(['agent']);
    expect(changed[0]!.changes).toEqual([{ field: 'outputs', path: '$', before: '18°C, 4°C', after: '18°C, 4°C, 18°C' }]);
    const back = diffTraces(b, a);
    expect(back.spans.filter((s) => s.status === 'removed').map((s) => s.path)).toEqual(['agent/llm[2]', 'agent/get_weather[2]']);
  });

  it('a trace against itself has no changes; bad arguments are a clear error', async () => {
    const a = await runAgent({ osloSource: 'met', turns: 1, tokens: 1 });
    expect(diffTraces(a, a).summary).toEqual({ same: 4, changed: 0, added: 0, removed: 0 });
    expect(() => diffTraces(a, undefined as never)).toThrow(/expected two traces/);
  });
});
