/**
 * @tracewright/runtime — MLflow-compatible tracing for TypeScript.
 * The whole public API is listed here, explicitly.
 */

// ---- data model ----
export {
  SpanType,
  SpanStatusCode,
  TraceState,
  SpanAttributeKey,
  TraceMetadataKey,
  TraceTagKey,
  TRACE_USER_KEY,
  TRACE_SESSION_KEY,
  TRACE_ID_PREFIX,
  TRACE_SCHEMA_VERSION,
  DEFAULT_SPAN_NAME,
  NO_OP_SPAN_TRACE_ID,
  REQUEST_RESPONSE_PREVIEW_MAX_LENGTH,
  MLFLOW_EXPERIMENT_ID_HEADER,
  TokenUsageKey,
  SpanLogLevel,
  toSpanLogLevel,
  DEFAULT_EXPERIMENT_ID,
  DEFAULT_EXPERIMENT_NAME,
} from './model/constants.js';
export { Span, SpanStatus, decodeAttribute } from './model/span.js';
export { SpanLink } from './model/span-link.js';
export { defaultLogLevelForSpanType } from './model/span-log-level.js';
export type { SpanLinkParams, SerializedSpanLink } from './model/span-link.js';
export type { SpanEvent, SpanFields, TokenUsage, EventAttributeValue, HrTime } from './model/span.js';
export { experimentIdOf, rootSpanOf, TraceInfo, TraceData } from './model/trace.js';
export type { TraceLocation, TraceEntity, TraceInfoEntity, TraceDataEntity } from './model/trace.js';
export {
  spanToJson,
  traceToJson,
  spanToJsonText,
  spanFromJson,
  traceDataToJsonText,
  traceInfoToJson,
  traceInfoFromJson,
  traceToJsonText,
  traceFromJsonText,
  traceFromJson,
  parseJsonWithBigTimes,
  hexToBase64,
  base64ToHex,
  otelTraceIdHex,
} from './model/json.js';
export type { TraceInfoJson, SpanJson, TraceDataJson, TraceJson } from './model/json.js';

// ---- instrumentation ----
export { trace, isTraced } from './api/trace.js';
/** Both the `@Trace()` decorator and the `Trace` data type (info + spans). */
export { Trace } from './api/decorator.js';
export type { TraceOptions, BuildInfo } from './api/options.js';
export { withSpan, startSpan } from './api/spans.js';
export type { SpanOptions } from './api/spans.js';
export { LiveSpan } from './core/live-span.js';
export { registerOnSpanStartHook, registerOnSpanEndHook } from './core/span-hooks.js';
export type { SpanHook } from './core/span-hooks.js';
export type { SpanEventInit, EndSpanOptions, SpanStatusInput } from './core/live-span.js';
export { updateCurrentTrace, tracingContext } from './api/trace-updates.js';
export type { UpdateCurrentTraceOptions, TracingContextOptions } from './api/trace-updates.js';

// ---- context ----
export {
  getCurrentActiveSpan,
  getActiveTraceId,
  captureContext,
  runWithContext,
  bindContext,
  withActiveSpan,
} from './core/context.js';
export type { TraceContextSnapshot } from './core/context.js';
/** 'async' (AsyncLocalStorage) here; 'sync-only' on edge runtimes without it (see the README). */
export { contextPropagation } from './platform/async-context.js';
export { traceContextForWorker, runInParentTrace } from './api/workers.js';
export type { WorkerTraceContext, WorkerTraceLink } from './api/workers.js';
export { getLastActiveTraceId } from './api/last-trace.js';
export { InMemoryTraceManager } from './api/trace-manager.js';
export type { ManagedTrace } from './api/trace-manager.js';
// ---- distributed tracing (W3C Trace Context) ----
export { getTracingContextHeadersForHttpRequest, withTracingContextFromHeaders, getTracingContextHeaders, continueTrace } from './api/distributed.js';
export { injectTraceContext, extractTraceContext, getTracingContextEnv } from './api/distributed.js';
export type { TracingContextHeaders, RemoteSpanContext } from './api/distributed.js';
export { propagateTraceContext } from './api/client-propagation.js';
export type { ClientPropagationOptions } from './api/client-propagation.js';

// ---- control ----
export {
  enableTracing,
  disableTracing,
  isTracingEnabled,
  setSamplingRatio,
  getSamplingRatio,
  setDestination,
  getDestination,
  flushTraces,
  configureTracing,
} from './api/control.js';
export type { TracingConfig } from './api/control.js';
export { getTracingDiagnostics, setDiagnosticLogger, resetTracingDiagnostics } from './core/diagnostics.js';
export type { TracingDiagnostics } from './core/diagnostics.js';
export { serialize } from './core/serialize.js';

// ---- destinations ----
export { InMemoryDestination } from './export/in-memory.js';
export type {
  TraceDestination,
  TraceReader,
  SearchTracesOptions,
  TracePage,
  DeleteTracesOptions,
} from './export/destination.js';

// ---- configuration, local store, search ----
export { setTrackingUri, getTrackingUri, setExperiment, init, getTrace, searchTraces, deleteTraces } from './config/index.js';
export type { InitOptions } from './config/index.js';
export { LocalTraceStore } from './store/local-store.js';
export type { Experiment, StoreProblem, RetentionPolicy } from './store/local-store.js';
export { LocalStoreDestination } from './store/local-destination.js';
export type { LocalStoreDestinationOptions } from './store/local-destination.js';
export {
  FilterSyntaxError,
  SearchTimeoutError,
  SEARCH_LIMITS,
  DEFAULT_SEARCH_TIMEOUT_MS,
  compileFilter,
  parseFilter,
  needsSpans,
  compileOrderBy,
  searchInMemory,
} from './search/index.js';
export type {
  SearchableTrace,
  TracePredicate,
  FilterExpression,
  FilterComparison,
  FilterAnd,
  FilterOr,
  FilterNot,
  FilterAll,
  FilterValue,
  Comparator,
  EntityType,
  SearchInputKind,
} from './search/index.js';

// ---- assessments: feedback and expectations ----
export {
  logFeedback,
  logExpectation,
  getAssessment,
  updateAssessment,
  overrideFeedback,
  deleteAssessment,
  feedbackDraft,
  expectationDraft,
} from './assessments/api.js';
export type { AssessmentBackend, AssessmentDraft, AssessmentChanges } from './assessments/backend.js';
export { isAssessmentBackend } from './assessments/backend.js';
export type { LogFeedbackOptions, LogExpectationOptions, UpdateAssessmentOptions, OverrideFeedbackOptions } from './assessments/api.js';
export type { Assessment, AssessmentSourceType, AssessmentValue } from './assessments/entity.js';
export { ASSESSMENT_SESSION_KEY } from './assessments/entity.js';
export { AssessmentInputError } from './assessments/validate.js';
export type { AssessmentSourceInput } from './assessments/validate.js';
export { AssessmentNotFoundError } from './assessments/backend.js';

// ---- comparing traces ----
export { diffTraces } from './diff/diff-traces.js';
export type { TraceDiff, SpanDiff, SpanDiffStatus, FieldChange, NumberDelta } from './diff/diff-traces.js';

// ---- evaluation datasets from traces ----
export { datasetRecordOf, datasetRecords } from './datasets/dataset-records.js';
export type { DatasetRecord, DatasetRecordSource, DatasetRecordOptions, ExportDatasetOptions } from './datasets/dataset-records.js';

// ---- remote export: MLflow server, OTLP ----
export { createMlflowDestination } from './exporters/mlflow/index.js';
export { MlflowClient } from './exporters/mlflow/mlflow-client.js';
export type { MlflowClientOptions } from './exporters/mlflow/mlflow-client.js';
export type { MlflowDestinationOptions, MlflowDestination } from './exporters/mlflow/index.js';
export { createOtlpDestination } from './exporters/otlp/index.js';
export type { OtlpDestinationOptions } from './exporters/otlp/index.js';
export type { DeliveryOptions } from './exporters/delivery/pipeline.js';
export type { RetryPolicy } from './exporters/delivery/backoff.js';
