/**
 * Token usage in MLflow's shape (`mlflow.chat.tokenUsage`, spec §4.3) from the usage objects
 * of the providers and frameworks we instrument.
 */
import type { TokenUsage } from '../../model/span.js';

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
function obj(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

/**
 * Input count of the other providers: Bedrock Converse and Cohere v2 (`inputTokens`), Bedrock
 * invocation metrics (`inputTokenCount`), Gemini `usageMetadata` (`promptTokenCount`), Ollama
 * (`prompt_eval_count`).
 */
function providerInput(u: Record<string, unknown>): number | undefined {
  return num(u.inputTokens) ?? num(u.inputTokenCount) ?? num(u.promptTokenCount) ?? num(u.prompt_eval_count);
}

/** Output counterpart of providerInput; Gemini's thinking tokens count as output, as OpenAI's reasoning tokens do. */
function providerOutput(u: Record<string, unknown>): number | undefined {
  const candidates = num(u.candidatesTokenCount);
  const thoughts = num(u.thoughtsTokenCount);
  const gemini = candidates === undefined && thoughts === undefined ? undefined : (candidates ?? 0) + (thoughts ?? 0);
  return num(u.outputTokens) ?? num(u.outputTokenCount) ?? gemini ?? num(u.eval_count);
}

/**
 * Accepts OpenAI chat (`prompt_tokens`/`completion_tokens`), OpenAI Responses and Anthropic
 * (`input_tokens`/`output_tokens`, cache fields), LangChain `usage_metadata` and LangChain's
 * legacy `tokenUsage` (`promptTokens`/`completionTokens`), and the shapes of providerInput /
 * providerOutput (cache fields: Bedrock `cacheRead/WriteInputTokens`, Gemini
 * `cachedContentTokenCount`; ax `cacheRead/CreationTokens`; Mastra 1.x `inputDetails.cacheRead/cacheWrite`). Returns undefined when none fit.
 */
export function normalizeTokenUsage(raw: unknown): TokenUsage | undefined {
  const u = obj(raw);
  if (!u) return undefined;
  const input = num(u.input_tokens) ?? num(u.prompt_tokens) ?? num(u.promptTokens) ?? providerInput(u);
  const output = num(u.output_tokens) ?? num(u.completion_tokens) ?? num(u.completionTokens) ?? providerOutput(u);
  if (input === undefined && output === undefined) return undefined;
  const usage: TokenUsage = {
    input_tokens: input ?? 0,
    output_tokens: output ?? 0,
    total_tokens: num(u.total_tokens) ?? num(u.totalTokens) ?? num(u.totalTokenCount) ?? (input ?? 0) + (output ?? 0),
  };
  const details = obj(u.prompt_tokens_details) ?? obj(u.input_tokens_details);
  const lcDetails = obj(u.input_token_details);
  const mastraDetails = obj(u.inputDetails);
  const cacheRead =
    num(u.cache_read_input_tokens) ??
    num(details?.cached_tokens) ??
    num(lcDetails?.cache_read) ??
    num(u.cacheReadInputTokens) ??
    num(u.cachedContentTokenCount) ??
    num(u.cacheReadTokens) ??
    num(mastraDetails?.cacheRead);
  const cacheCreation = num(u.cache_creation_input_tokens) ?? num(lcDetails?.cache_creation) ?? num(u.cacheWriteInputTokens) ?? num(u.cacheCreationTokens) ?? num(mastraDetails?.cacheWrite);
  if (cacheRead !== undefined) usage.cache_read_input_tokens = cacheRead;
  if (cacheCreation !== undefined) usage.cache_creation_input_tokens = cacheCreation;
  return usage;
}
