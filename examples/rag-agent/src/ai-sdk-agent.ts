/**
 * The demo's second agent, built on the Vercel AI SDK (`ai` 6, which runs on Node 20): one
 * `generateText` call runs the whole tool loop. Its steps come from the SDK's own telemetry,
 * handed to tracewright with `experimental_telemetry: aiSdkTelemetry()` (with `ai` 7, a plain
 * `autolog()` from '@tracewright/runtime/ai-sdk' does it for every call): the call (CHAIN), an
 * LLM span per step with messages and token usage, and the `get_weather` TOOL span.
 */
import { generateText, stepCountIs, tool, type LanguageModel } from 'ai';
import { z } from 'zod';
import { SpanType, Trace } from '@tracewright/runtime';
import { aiSdkTelemetry } from '@tracewright/runtime/ai-sdk';
import { buildPrompt, searchPassages, type Hit } from './knowledge.js';
import { WEATHER } from './agent.js';

const getWeather = tool({
  description: 'Current weather for a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => WEATHER[city] ?? 'unknown',
});

export class AiSdkAgent {
  constructor(private readonly model: LanguageModel) {}

  @Trace({ spanType: SpanType.AGENT })
  async answer(question: string): Promise<string> {
    const hits = await this.retrieve(question, 2);
    const { text } = await generateText({
      model: this.model,
      system: 'You are a concise assistant. Use tools when needed.',
      prompt: buildPrompt(question, hits),
      tools: { get_weather: getWeather },
      stopWhen: stepCountIs(3),
      experimental_telemetry: aiSdkTelemetry({ functionId: 'ai-sdk-agent' }),
    });
    return text;
  }

  @Trace({ spanType: SpanType.RETRIEVER })
  async retrieve(question: string, k: number): Promise<Hit[]> {
    return searchPassages(question, k);
  }
}
