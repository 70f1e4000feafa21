/**
 * A real LangChain chat model (BaseChatModel subclass) that talks to an OpenAI-compatible
 * server through the real `openai` client — a minimal stand-in for @langchain/openai, whose
 * current line needs Node 22.
 */
import OpenAI from 'openai';
import { BaseChatModel, type BaseChatModelParams } from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';

export interface ServerChatModelFields extends BaseChatModelParams {
  baseURL: string;
  apiKey: string;
  model: string;
}

function toOpenAIMessage(m: BaseMessage): Record<string, unknown> {
  const type = m.type;
  if (type === 'human') return { role: 'user', content: m.content };
  if (type === 'system') return { role: 'system', content: m.content };
  if (type === 'tool') return { role: 'tool', content: m.content, tool_call_id: (m as unknown as { tool_call_id: string }).tool_call_id };
  const ai = m as AIMessage;
  return {
    role: 'assistant',
    content: ai.content || null,
    ...(ai.tool_calls?.length ? { tool_calls: ai.tool_calls.map((tc) => ({ id: tc.id, type: 'function', function: { name: tc.name, arguments: JSON.stringify(tc.args) } })) } : {}),
  };
}

export class ServerChatModel extends BaseChatModel {
  readonly model: string;
  private readonly client: OpenAI;
  private boundTools: unknown[] | undefined;

  constructor(fields: ServerChatModelFields) {
    super(fields);
    this.model = fields.model;
    this.client = new OpenAI({ baseURL: fields.baseURL, apiKey: fields.apiKey, maxRetries: 0 });
  }

  _llmType(): string {
    return 'server-chat-model';
  }

  override invocationParams(): Record<string, unknown> {
    return { model: this.model, ...(this.boundTools ? { tools: this.boundTools } : {}) };
  }

  override bindTools(tools: unknown[]): this {
    const bound = new ServerChatModel({ baseURL: this.client.baseURL, apiKey: this.client.apiKey ?? '', model: this.model });
    bound.boundTools = tools.map((t) => convertToOpenAITool(t as Parameters<typeof convertToOpenAITool>[0]));
    return bound as this;
  }

  private request(messages: BaseMessage[]) {
    return { model: this.model, messages: messages.map(toOpenAIMessage), ...(this.boundTools ? { tools: this.boundTools } : {}) } as any;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const res = await this.client.chat.completions.create(this.request(messages));
    const msg = res.choices[0]!.message;
    const usage = res.usage!;
    const message = new AIMessage({
      content: msg.content ?? '',
      tool_calls: (msg.tool_calls ?? []).map((tc: any) => ({ id: tc.id, name: tc.function.name, args: JSON.parse(tc.function.arguments), type: 'tool_call' as const })),
      usage_metadata: { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens, total_tokens: usage.total_tokens },
    });
    return { generations: [{ text: msg.content ?? '', message }] };
  }

  override async *_streamResponseChunks(messages: BaseMessage[], _options: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun): AsyncGenerator<ChatGenerationChunk> {
    const stream = await this.client.chat.completions.create({ ...this.request(messages), stream: true, stream_options: { include_usage: true } });
    for await (const chunk of stream as unknown as AsyncIterable<any>) {
      const text: string = chunk.choices[0]?.delta?.content ?? '';
      const usage = chunk.usage ? { input_tokens: chunk.usage.prompt_tokens, output_tokens: chunk.usage.completion_tokens, total_tokens: chunk.usage.total_tokens } : undefined;
      if (!text && !usage) continue;
      yield new ChatGenerationChunk({ text, message: new AIMessageChunk({ content: text, usage_metadata: usage }) });
      if (text) await runManager?.handleLLMNewToken(text);
    }
  }
}
