/** How each traced OpenAI method becomes a span (name and type as MLflow's TS SDK uses). */
import { SpanType } from '../../model/constants.js';
import { traceSdkCall, type CallDescription, type CallResult, type StreamAssembler } from '../common/llm-call.js';
import { normalizeTokenUsage } from '../common/token-usage.js';
import { normalizeTools } from '../common/tools.js';
import type { MethodTracer } from '../common/traced-client.js';
import { chatCompletionAssembler } from './chat-stream.js';
import { responsesAssembler } from './responses-stream.js';

export const PROVIDER = 'openai';

type Kind = 'chat' | 'responses' | 'embeddings' | 'completions';

function plainResponse(value: unknown): CallResult {
  const v = value as { usage?: unknown } | null;
  return { outputs: value, usage: normalizeTokenUsage(v?.usage) };
}

/** Legacy text completions streamed: concatenate the choices' text. */
function completionsAssembler(): StreamAssembler {
  let text = '';
  let last: Record<string, unknown> = {};
  return {
    isToken: (c) => !!(c as { choices?: Array<{ text?: string }> })?.choices?.some((ch) => !!ch.text),
    add(c) {
      const chunk = c as { choices?: Array<{ text?: string }>; usage?: unknown };
      for (const ch of chunk?.choices ?? []) text += ch.text ?? '';
      last = { ...last, ...(chunk as Record<string, unknown>) };
    },
    result: () => ({ outputs: { ...last, choices: [{ index: 0, text }] }, usage: normalizeTokenUsage(last.usage) }),
  };
}

const SPEC: Record<Kind, { name: string; spanType: SpanType; format: string | undefined; stream: () => StreamAssembler }> = {
  chat: { name: 'Completions', spanType: SpanType.LLM, format: 'openai', stream: chatCompletionAssembler },
  responses: { name: 'Responses', spanType: SpanType.LLM, format: 'openai', stream: responsesAssembler },
  completions: { name: 'Completions', spanType: SpanType.LLM, format: undefined, stream: completionsAssembler },
  embeddings: { name: 'Embeddings', spanType: SpanType.EMBEDDING, format: undefined, stream: completionsAssembler },
};

function describe(kind: Kind, args: unknown[]): CallDescription {
  const params = (args[0] ?? {}) as Record<string, unknown>;
  const spec = SPEC[kind];
  return {
    name: spec.name,
    spanType: spec.spanType,
    provider: PROVIDER,
    messageFormat: spec.format,
    model: params.model,
    inputs: params,
    tools: normalizeTools(params.tools),
    response: plainResponse,
    stream: spec.stream,
  };
}

const tracer =
  (kind: Kind): MethodTracer =>
  (original, self, args) =>
    traceSdkCall((a) => describe(kind, a), original, self, args);

export const TRACERS = {
  chat: tracer('chat'),
  responses: tracer('responses'),
  embeddings: tracer('embeddings'),
  completions: tracer('completions'),
} as const;
