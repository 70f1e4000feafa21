/**
 * MLflow's reserved names, verbatim (see shared/spec/mlflow-trace-format.md §3.6, §4).
 * Everything that reads or writes a trace uses these constants, never string literals.
 */

/** Span types MLflow predefines. The type is an open string: custom values are allowed. */
export const SpanType = {
  LLM: 'LLM',
  CHAT_MODEL: 'CHAT_MODEL',
  CHAIN: 'CHAIN',
  AGENT: 'AGENT',
  TOOL: 'TOOL',
  RETRIEVER: 'RETRIEVER',
  EMBEDDING: 'EMBEDDING',
  RERANKER: 'RERANKER',
  PARSER: 'PARSER',
  MEMORY: 'MEMORY',
  UNKNOWN: 'UNKNOWN',
} as const;
// eslint-disable-next-line @typescript-eslint/ban-types
export type SpanType = (typeof SpanType)[keyof typeof SpanType] | (string & {});

/** MLflow's span status codes: the OTel proto enum names (spec §3.3). */
export const SpanStatusCode = {
  UNSET: 'STATUS_CODE_UNSET',
  OK: 'STATUS_CODE_OK',
  ERROR: 'STATUS_CODE_ERROR',
} as const;
export type SpanStatusCode = (typeof SpanStatusCode)[keyof typeof SpanStatusCode];

export const TraceState = {
  STATE_UNSPECIFIED: 'STATE_UNSPECIFIED',
  OK: 'OK',
  ERROR: 'ERROR',
  IN_PROGRESS: 'IN_PROGRESS',
} as const;
export type TraceState = (typeof TraceState)[keyof typeof TraceState];

export const SpanAttributeKey = {
  TRACE_ID: 'mlflow.traceRequestId',
  EXPERIMENT_ID: 'mlflow.experimentId',
  SPAN_TYPE: 'mlflow.spanType',
  INPUTS: 'mlflow.spanInputs',
  OUTPUTS: 'mlflow.spanOutputs',
  FUNCTION_NAME: 'mlflow.spanFunctionName',
  DESCRIPTION: 'mlflow.spanDescription',
  LOG_LEVEL: 'mlflow.spanLogLevel',
  TOKEN_USAGE: 'mlflow.chat.tokenUsage',
  CHAT_TOOLS: 'mlflow.chat.tools',
  MESSAGE_FORMAT: 'mlflow.message.format',
  MODEL: 'mlflow.llm.model',
  PROVIDER: 'mlflow.llm.provider',
  COST: 'mlflow.llm.cost',
  /** OTel semconv copies of trace user/session, put on root spans for OTLP export. */
  USER_ID: 'user.id',
  SESSION_ID: 'session.id',
  /** Prefix of per-tag copies emitted on root spans for OTLP export. */
  TRACE_TAG_PREFIX: 'mlflow.traceTag.',
} as const;

export const TraceMetadataKey = {
  SCHEMA_VERSION: 'mlflow.trace_schema.version',
  INPUTS: 'mlflow.traceInputs',
  OUTPUTS: 'mlflow.traceOutputs',
  SOURCE_RUN: 'mlflow.sourceRun',
  MODEL_ID: 'mlflow.modelId',
  TRACE_USER: 'mlflow.trace.user',
  TRACE_SESSION: 'mlflow.trace.session',
  TOKEN_USAGE: 'mlflow.trace.tokenUsage',
  COST: 'mlflow.trace.cost',
  SIZE_BYTES: 'mlflow.trace.sizeBytes',
  SIZE_STATS: 'mlflow.trace.sizeStats',
  USER: 'mlflow.user',
  SOURCE_NAME: 'mlflow.source.name',
  SOURCE_TYPE: 'mlflow.source.type',
} as const;

export const TraceTagKey = {
  TRACE_NAME: 'mlflow.traceName',
  ARTIFACT_LOCATION: 'mlflow.artifactLocation',
  /** MLflow TS SDK's name for {@link TraceTagKey.ARTIFACT_LOCATION}. */
  MLFLOW_ARTIFACT_LOCATION: 'mlflow.artifactLocation',
  SPANS_LOCATION: 'mlflow.trace.spansLocation',
  /** JSON list `[{"name": ..., "version": ...}]` of prompt versions the trace used. */
  LINKED_PROMPTS: 'mlflow.linkedPrompts',
} as const;

/** The end user of the application request (not the developer; that is `mlflow.user`). */
export const TRACE_USER_KEY = TraceMetadataKey.TRACE_USER;
/** The session / conversation id; drives the "Sessions" view. */
export const TRACE_SESSION_KEY = TraceMetadataKey.TRACE_SESSION;

export const TRACE_ID_PREFIX = 'tr-';
export const TRACE_SCHEMA_VERSION = '3';
/** Name of a span when none is given and the function has none (MLflow's default). */
export const DEFAULT_SPAN_NAME = 'span';
/** Trace id of the no-op spans handed out while tracing is off or a trace is sampled out. */
export const NO_OP_SPAN_TRACE_ID = 'no-op-span-trace-id';
/** Max characters of `requestPreview` / `responsePreview` (MLflow OSS server's limit). */
export const REQUEST_RESPONSE_PREVIEW_MAX_LENGTH = 1000;
/** Header that routes OTLP spans to an experiment on an MLflow server's `/v1/traces`. */
export const MLFLOW_EXPERIMENT_ID_HEADER = 'x-mlflow-experiment-id';

/** Keys of a token usage record (span `mlflow.chat.tokenUsage`, trace `tokenUsage`). */
export const TokenUsageKey = {
  INPUT_TOKENS: 'input_tokens',
  OUTPUT_TOKENS: 'output_tokens',
  TOTAL_TOKENS: 'total_tokens',
  CACHE_READ_INPUT_TOKENS: 'cache_read_input_tokens',
  CACHE_CREATION_INPUT_TOKENS: 'cache_creation_input_tokens',
} as const;

/** Span severity (attribute `mlflow.spanLogLevel`), as MLflow's SDKs number it. */
export const SpanLogLevel = {
  DEBUG: 10,
  INFO: 20,
  WARNING: 30,
  ERROR: 40,
  CRITICAL: 50,
} as const;
export type SpanLogLevel = (typeof SpanLogLevel)[keyof typeof SpanLogLevel];

/** A SpanLogLevel value or its name (any case) → the level; anything else throws naming it. */
export function toSpanLogLevel(value: SpanLogLevel | string): SpanLogLevel {
  const levels = Object.values(SpanLogLevel) as number[];
  if (typeof value === 'number' && levels.includes(value)) return value;
  if (typeof value === 'string') {
    const level = (SpanLogLevel as Record<string, SpanLogLevel>)[value.trim().toUpperCase()];
    if (level !== undefined) return level;
  }
  throw new TypeError(`invalid span log level ${typeof value === 'string' ? JSON.stringify(value) : String(value)}; expected one of ${Object.keys(SpanLogLevel).join(', ')} or ${levels.join(', ')}`);
}
export const DEFAULT_EXPERIMENT_ID = '0';
export const DEFAULT_EXPERIMENT_NAME = 'Default';

/** Client-side limits MLflow applies before sending (spec §2.4, §2.5). */
export const Limits = {
  PREVIEW_MAX_LENGTH: REQUEST_RESPONSE_PREVIEW_MAX_LENGTH,
  METADATA_MAX_LENGTH: 250,
  TAG_KEY_MAX_LENGTH: 250,
  TAG_VALUE_MAX_LENGTH: 4096,
} as const;

/** Span event names. */
export const EXCEPTION_EVENT = 'exception';
export const CHUNK_EVENT_PREFIX = 'mlflow.chunk.item.';
export const CHUNK_EVENT_VALUE_KEY = 'mlflow.chunk.value';

/** tracewright's own keys: what it did not record, and why (MLflow ignores unknown keys). */
export const TracewrightKey = {
  /** Span attribute: the span was still open when tracewright ended it ("abandoned", "timeout", "exit"). */
  SPAN_UNFINISHED: 'tracewright.span.unfinished',
  /** Trace metadata: spans over the per-trace span budget (they and their descendants were not kept). */
  DROPPED_SPANS: 'tracewright.trace.droppedSpans',
  /** Trace metadata: values replaced by a marker because the trace's recording budget was used up. */
  TRUNCATED_VALUES: 'tracewright.trace.truncatedValues',
} as const;

/** Why a span was ended by tracewright rather than by the program. */
export type UnfinishedReason = 'abandoned' | 'timeout' | 'exit';
