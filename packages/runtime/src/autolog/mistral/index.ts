/**
 * `@tracewright/runtime/mistral`: traces `@mistralai/mistralai` — `chat.complete`,
 * `chat.stream` (span open until the event stream is consumed or closed, time to first token,
 * tool calls) and `embeddings.create`.
 *
 *   import { autolog } from '@tracewright/runtime/mistral';
 *   autolog();
 *
 *   import { tracedMistral } from '@tracewright/runtime/mistral';
 *   tracedMistral(client); // this client only, instrumented in place
 *
 * The SDK's resource classes are not exported, so autolog finds them through a client it
 * makes without credentials (no request is sent). The SDK is an optional peer dependency.
 */
import { SpanAttributeKey, SpanType } from '../../model/constants.js';
import { traceSdkCall, type CallDescription, type CallResult, type StreamAssembler } from '../common/llm-call.js';
import { createAutolog } from '../common/autolog.js';
import { instrumentObject } from '../common/in-place.js';
import { patchTracers } from '../common/patch-registry.js';
import { normalizeTokenUsage } from '../common/token-usage.js';
import { normalizeTools } from '../common/tools.js';
import { secretStrings } from '../common/redact.js';
import type { MethodTracer } from '../common/traced-client.js';
import { chatCompletionAssembler } from '../openai/chat-stream.js';

const INTEGRATION = 'mistral';
const PROVIDER = 'mistral';

export type { AutologOptions, AutologResult } from '../common/autolog.js';

type ToolCall = { id?: string; type?: string; index?: number; function?: { name?: string; arguments?: unknown } };
interface Chunk {
  id?: string;
  model?: string;
  created?: number;
  usage?: unknown;
  choices?: Array<{ index?: number; delta?: { role?: string; content?: unknown; toolCalls?: ToolCall[] }; finishReason?: string | null }>;
}

const textOf = (content: unknown): string | undefined =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((c) => (c as { text?: string })?.text ?? '').join('') : undefined;

/** A Mistral stream event (`{ data: chunk }`, camelCase) as the OpenAI chunk the shared assembler reads. */
function asOpenAIChunk(event: unknown): unknown {
  const c = ((event as { data?: Chunk } | null)?.data ?? {}) as Chunk;
  return {
    id: c.id,
    model: c.model,
    created: c.created,
    usage: c.usage,
    choices: (c.choices ?? []).map((ch) => ({
      index: ch.index,
      finish_reason: ch.finishReason ?? null,
      delta: {
        role: ch.delta?.role,
        content: textOf(ch.delta?.content),
        tool_calls: ch.delta?.toolCalls?.map((tc) => ({
          index: tc.index,
          id: tc.id,
          type: tc.type ?? 'function',
          function: { name: tc.function?.name, arguments: typeof tc.function?.arguments === 'string' ? tc.function.arguments : JSON.stringify(tc.function?.arguments ?? {}) },
        })),
      },
    })),
  };
}

function chatStreamAssembler(): StreamAssembler {
  const inner = chatCompletionAssembler();
  return { isToken: (e) => inner.isToken(asOpenAIChunk(e)), add: (e) => inner.add(asOpenAIChunk(e)), result: () => inner.result() };
}

function response(value: unknown): CallResult {
  const v = value as { usage?: unknown; model?: unknown } | null;
  return { outputs: value, usage: normalizeTokenUsage(v?.usage), attributes: typeof v?.model === 'string' ? { [SpanAttributeKey.MODEL]: v.model } : undefined };
}

type Kind = 'complete' | 'stream' | 'embeddings';

function describe(kind: Kind, args: unknown[], self: unknown): CallDescription {
  const params = (args[0] ?? {}) as Record<string, unknown>;
  const chat = kind !== 'embeddings';
  return {
    name: chat ? `chat.${kind}` : 'embeddings.create',
    spanType: chat ? SpanType.LLM : SpanType.EMBEDDING,
    provider: PROVIDER,
    messageFormat: chat ? 'mistral' : undefined,
    model: params.model,
    inputs: params,
    tools: chat ? normalizeTools(params.tools) : undefined,
    response,
    stream: chatStreamAssembler,
    secrets: secretStrings(() => [(self as { _options?: { apiKey?: unknown } })._options?.apiKey]),
  };
}

const tracer =
  (kind: Kind): MethodTracer =>
  (original, self, args) =>
    traceSdkCall((a) => describe(kind, a, self), original, self, args);

const CHAT = { complete: tracer('complete'), stream: tracer('stream') } as const;
const EMBEDDINGS = { create: tracer('embeddings') } as const;

function patchCopy(mod: Record<string, unknown> | undefined): boolean {
  const Mistral = mod?.Mistral as (new (options: object) => { chat: object; embeddings: object }) | undefined;
  if (typeof Mistral !== 'function') return false;
  const probe = new Mistral({ apiKey: 'unused' });
  patchTracers(INTEGRATION, Object.getPrototypeOf(probe.chat) as object, CHAT);
  patchTracers(INTEGRATION, Object.getPrototypeOf(probe.embeddings) as object, EMBEDDINGS);
  return true;
}

/** Instruments `@mistralai/mistralai` for every client (created before or after). Idempotent; `autolog({ disable: true })` undoes it. */
export const autolog = createAutolog({ name: INTEGRATION, specifier: '@mistralai/mistralai', identity: 'Mistral', patchCopy });

/** Instruments one `Mistral` client in place (its `chat` and `embeddings`) and returns it. */
export function tracedMistral<T extends object>(client: T): T {
  const c = client as { chat?: unknown; embeddings?: unknown } | null;
  if (c === null || typeof c !== 'object' || typeof c.chat !== 'object' || !c.chat) throw new TypeError('tracedMistral(client): expected a Mistral client instance (with .chat)');
  instrumentObject(c.chat, CHAT);
  if (c.embeddings && typeof c.embeddings === 'object') instrumentObject(c.embeddings, EMBEDDINGS);
  return client;
}
