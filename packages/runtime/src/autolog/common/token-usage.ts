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
 * Accepts OpenAI chat (`prompt_tokens`/`completion_tokens`), OpenAI Responses and Anthropic
 * (`input_tokens`/`output_tokens`, cache fields), LangChain `usage_metadata` and LangChain's
 * legacy `tokenUsage` (`promptTokens`/`completionTokens`). Returns undefined when none fit.
 */
export function normalizeTokenUsage(raw: unknown): TokenUsage | undefined {
  const u = obj(raw);
  if (!u) return undefined;
  const input = num(u.input_tokens) ?? num(u.prompt_tokens) ?? num(u.promptTokens);
  const output = num(u.output_tokens) ?? num(u.completion_tokens) ?? num(u.completionTokens);
  if (input === undefined && output === undefined) return undefined;
  const usage: TokenUsage = {
    input_tokens: input ?? 0,
    output_tokens: output ?? 0,
    total_tokens: num(u.total_tokens) ?? num(u.totalTokens) ?? (input ?? 0) + (output ?? 0),
  };
  const details = obj(u.prompt_tokens_details) ?? obj(u.input_tokens_details);
  const lcDetails = obj(u.input_token_details);
  const cacheRead = num(u.cache_read_input_tokens) ?? num(details?.cached_tokens) ?? num(lcDetails?.cache_read);
  const cacheCreation = num(u.cache_creation_input_tokens) ?? num(lcDetails?.cache_creation);
  if (cacheRead !== undefined) usage.cache_read_input_tokens = cacheRead;
  if (cacheCreation !== undefined) usage.cache_creation_input_tokens = cacheCreation;
  return usage;
}
