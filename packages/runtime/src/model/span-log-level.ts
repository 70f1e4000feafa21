/**
 * Default `mlflow.spanLogLevel` of a span (MLflow's log_level.ts / Python default_log_level.py):
 * the user-visible operations are INFO, glue (chains, parsers, unknown) is DEBUG, so a
 * viewer's verbosity filter works on spans nobody annotated.
 */
import { SpanLogLevel, SpanType } from './constants.js';

const INFO_SPAN_TYPES: ReadonlySet<string> = new Set<string>([
  SpanType.LLM,
  SpanType.CHAT_MODEL,
  SpanType.TOOL,
  SpanType.RETRIEVER,
  SpanType.AGENT,
  SpanType.EMBEDDING,
]);

export function defaultLogLevelForSpanType(spanType: string | null | undefined): SpanLogLevel {
  return spanType && INFO_SPAN_TYPES.has(spanType) ? SpanLogLevel.INFO : SpanLogLevel.DEBUG;
}
