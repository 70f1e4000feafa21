/**
 * The agent: `@Trace` methods for its steps, a `// @trace` loop for its reasoning turns (one
 * span per iteration), a manual span named after the tool it calls, and OpenAI calls that the
 * autologger records as CHAT_MODEL spans with messages and token usage.
 */
import type OpenAI from 'openai';
import { SpanType, Trace, withSpan } from '@tracewright/runtime';
import { buildPrompt, searchPassages, type Hit } from './knowledge.js';

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

export const WEATHER: Record<string, string> = { Paris: '18°C and sunny', Oslo: '4°C with light rain' };

export class RagAgent {
  constructor(
    private readonly llm: OpenAI,
    private readonly model = 'demo-model',
  ) {}

  @Trace({ spanType: SpanType.AGENT })
  async answer(question: string): Promise<string> {
    const hits = await this.retrieve(question, 2);
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are a concise assistant. Use tools when needed.' },
      { role: 'user', content: buildPrompt(question, hits) },
    ];
    // @trace({ name: 'reasoning_turn', spanType: CHAIN })
    for (let turn = 0; turn < 3; turn++) {
      const completion = await this.llm.chat.completions.create({ model: this.model, messages, tools: TOOLS });
      const message = completion.choices[0]!.message;
      if (!message.tool_calls?.length) return message.content ?? '';
      messages.push(message);
      for (const call of message.tool_calls) {
        if (call.type !== 'function') continue;
        messages.push({ role: 'tool', tool_call_id: call.id, content: this.callTool(call.function.name, JSON.parse(call.function.arguments)) });
      }
    }
    return 'I ran out of reasoning turns.';
  }

  @Trace({ spanType: SpanType.RETRIEVER })
  async retrieve(question: string, k: number): Promise<Hit[]> {
    return searchPassages(question, k);
  }

  /** A manual span whose name is only known at run time: the tool being called. */
  callTool(name: string, args: { city?: string }): string {
    return withSpan(
      (span) => {
        const result = name === 'get_weather' ? (WEATHER[args.city ?? ''] ?? 'unknown') : `no tool named ${name}`;
        span.setAttribute('tool.name', name);
        return result;
      },
      { name: `tool:${name}`, spanType: SpanType.TOOL, inputs: args },
    );
  }
}
