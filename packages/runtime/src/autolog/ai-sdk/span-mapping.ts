/**
 * How the AI SDK's telemetry spans (`ai.generateText`, `ai.streamText.doStream`, `ai.toolCall`,
 * `ai.embed`, ...; attributes `ai.*` / `gen_ai.*`) become tracewright spans: type, inputs,
 * outputs, model, provider and token usage. Only the model-call spans (`*.doGenerate`,
 * `*.doStream`, `*.doEmbed`) carry token usage, so a multi-step call counts each step once and
 * the outer span's totals are not added again.
 */
import { SpanAttributeKey, SpanType } from '../../model/constants.js';
import type { TokenUsage } from '../../model/span.js';
import { TIME_TO_FIRST_TOKEN_KEY } from '../common/llm-call.js';
import { normalizeTokenUsage } from '../common/token-usage.js';
import { normalizeTools } from '../common/tools.js';
import { parseJsonText as parsed } from '../common/json-text.js';

export const PROVIDER_ATTRIBUTE_PREFIX = 'ai.';

type Attrs = Record<string, unknown>;

const MODEL_CALL = /\.(doGenerate|doStream)$/;
const EMBED_CALL = /^ai\.(embed|embedMany)(\.doEmbed)?$/;

export function spanTypeFor(name: string): SpanType {
  if (name === 'ai.toolCall') return SpanType.TOOL;
  if (MODEL_CALL.test(name)) return SpanType.LLM;
  if (EMBED_CALL.test(name)) return SpanType.EMBEDDING;
  if (name.startsWith('ai.rerank')) return SpanType.RERANKER;
  return SpanType.CHAIN;
}

/** The span's display name: a tool span is named after its tool, as MLflow names TOOL spans. */
export function displayName(name: string, attrs: Attrs): string {
  if (name === 'ai.toolCall' && typeof attrs['ai.toolCall.name'] === 'string') return attrs['ai.toolCall.name'];
  return name;
}

/** Attributes whose content is recorded as the span's inputs/outputs instead (not twice). */
const CONTENT = new Set([
  'ai.prompt', 'ai.prompt.messages', 'ai.prompt.tools', 'ai.prompt.toolChoice', 'ai.response.text', 'ai.response.toolCalls',
  'ai.response.object', 'ai.response.reasoning', 'ai.toolCall.args', 'ai.toolCall.result', 'ai.toolCall.input', 'ai.toolCall.output',
  'ai.value', 'ai.values', 'ai.embedding', 'ai.embeddings', 'ai.documents', 'ai.ranking', 'ai.schema',
]);

/**
 * The SDK's own attributes worth keeping (settings, ids, usage numbers, timings). Request
 * headers are dropped: a caller may pass credentials in `headers`, which the SDK records.
 */
export function keptAttributes(attrs: Attrs): Attrs {
  const out: Attrs = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (CONTENT.has(key) || key.startsWith('ai.request.headers.')) continue;
    out[key] = value;
  }
  return out;
}

export function inputsOf(name: string, attrs: Attrs): unknown {
  if (name === 'ai.toolCall') return parsed(attrs['ai.toolCall.args'] ?? attrs['ai.toolCall.input']);
  if (MODEL_CALL.test(name)) {
    const messages = parsed(attrs['ai.prompt.messages']);
    const tools = Array.isArray(attrs['ai.prompt.tools']) ? (attrs['ai.prompt.tools'] as unknown[]).map(parsed) : undefined;
    return tools ? { messages, tools } : { messages };
  }
  if ('ai.values' in attrs) return { values: (attrs['ai.values'] as unknown[]).map(parsed) };
  if ('ai.value' in attrs) return { value: parsed(attrs['ai.value']) };
  if ('ai.prompt' in attrs) return parsed(attrs['ai.prompt']);
  if ('ai.documents' in attrs) return { documents: attrs['ai.documents'] };
  return undefined;
}

export function outputsOf(name: string, attrs: Attrs): unknown {
  if (name === 'ai.toolCall') return parsed(attrs['ai.toolCall.result'] ?? attrs['ai.toolCall.output']);
  if ('ai.embeddings' in attrs) return { embeddings: (attrs['ai.embeddings'] as unknown[]).map(parsed) };
  if ('ai.embedding' in attrs) return { embedding: parsed(attrs['ai.embedding']) };
  if ('ai.response.object' in attrs) return parsed(attrs['ai.response.object']);
  if ('ai.ranking' in attrs) return { ranking: (attrs['ai.ranking'] as unknown[]).map(parsed) };
  const out: Attrs = {};
  if ('ai.response.text' in attrs) out.text = attrs['ai.response.text'];
  if ('ai.response.toolCalls' in attrs) out.toolCalls = parsed(attrs['ai.response.toolCalls']);
  if ('ai.response.reasoning' in attrs) out.reasoning = attrs['ai.response.reasoning'];
  if ('ai.response.finishReason' in attrs) out.finishReason = attrs['ai.response.finishReason'];
  return Object.keys(out).length > 0 ? out : undefined;
}

const positive = (n: unknown) => (typeof n === 'number' && n > 0 ? n : undefined);

/** Token usage of a model-call span (the SDK names the fields differently across versions). */
export function usageOf(name: string, attrs: Attrs): TokenUsage | undefined {
  if (!MODEL_CALL.test(name) && !/\.doEmbed$/.test(name)) return undefined;
  const input = attrs['gen_ai.usage.input_tokens'] ?? attrs['ai.usage.inputTokens'] ?? attrs['ai.usage.promptTokens'] ?? attrs['ai.usage.tokens'];
  const output = attrs['gen_ai.usage.output_tokens'] ?? attrs['ai.usage.outputTokens'] ?? attrs['ai.usage.completionTokens'] ?? (/\.doEmbed$/.test(name) ? 0 : undefined);
  return normalizeTokenUsage({
    input_tokens: input,
    output_tokens: output,
    total_tokens: attrs['ai.usage.totalTokens'],
    // The SDK reports 0 when the provider sent no cache figures: recorded only when non-zero.
    cache_read_input_tokens: positive(attrs['ai.usage.inputTokenDetails.cacheReadTokens'] ?? attrs['ai.usage.cachedInputTokens']),
    cache_creation_input_tokens: positive(attrs['ai.usage.inputTokenDetails.cacheWriteTokens']),
  });
}

/** MLflow's LLM attributes: model, provider (`openai.chat` → `openai`), tool definitions. */
export function llmAttributes(name: string, attrs: Attrs): Attrs {
  const out: Attrs = {};
  const model = attrs['gen_ai.response.model'] ?? attrs['ai.response.model'] ?? attrs['ai.model.id'];
  if (typeof model === 'string') out[SpanAttributeKey.MODEL] = model;
  const provider = attrs['ai.model.provider'];
  if (typeof provider === 'string') out[SpanAttributeKey.PROVIDER] = provider.split('.')[0];
  if (MODEL_CALL.test(name) && Array.isArray(attrs['ai.prompt.tools'])) {
    const tools = normalizeTools((attrs['ai.prompt.tools'] as unknown[]).map(parsed));
    if (tools) out[SpanAttributeKey.CHAT_TOOLS] = tools;
  }
  const ttft = attrs['ai.response.msToFirstChunk'] ?? attrs['ai.stream.msToFirstChunk'];
  if (typeof ttft === 'number') out[TIME_TO_FIRST_TOKEN_KEY] = ttft;
  return out;
}
