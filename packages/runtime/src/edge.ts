/**
 * @tracewright/runtime on edge runtimes and in browsers (the `workerd`, `edge-light` and
 * `browser` export conditions): the tracing API, context, MLflow and OTLP export over `fetch`,
 * and an in-memory destination. No `node:*` import anywhere in its graph; the local store,
 * search, the CLI helpers and the Node integrations stay on the Node entry and its subpaths.
 * With no destination configured, traces stay in memory and a one-time warning says so.
 */
import { installEdgeDefaultDestination } from './edge/default-destination.js';

installEdgeDefaultDestination();

// ---- data model ----
// The names a traced program uses; the Node entry also has the MLflow limits and header names.
export { SpanType, SpanStatusCode, TraceState, SpanAttributeKey, TraceMetadataKey, TraceTagKey, SpanLogLevel, TokenUsageKey } from './model/constants.js';
export { TRACE_USER_KEY, TRACE_SESSION_KEY, TRACE_ID_PREFIX, DEFAULT_SPAN_NAME, NO_OP_SPAN_TRACE_ID, DEFAULT_EXPERIMENT_ID } from './model/constants.js';
export { Span, SpanStatus } from './model/span.js';
export type { SpanEvent, TokenUsage } from './model/span.js';
export { TraceInfo, TraceData } from './model/trace.js';
export { traceToJson, traceFromJson, spanToJson } from './model/json.js';
export type { TraceJson, SpanJson } from './model/json.js';

// ---- instrumentation ----
export { trace, isTraced } from './api/trace.js';
export { Trace } from './api/decorator.js';
export type { TraceOptions } from './api/options.js';
export { withSpan, startSpan } from './api/spans.js';
export type { SpanOptions } from './api/spans.js';
export { LiveSpan } from './core/live-span.js';
export { registerOnSpanStartHook, registerOnSpanEndHook } from './core/span-hooks.js';
export { updateCurrentTrace, tracingContext } from './api/trace-updates.js';
export type { UpdateCurrentTraceOptions, TracingContextOptions } from './api/trace-updates.js';

// ---- context ----
export { getCurrentActiveSpan, getActiveTraceId, captureContext, runWithContext, bindContext, withActiveSpan } from './core/context.js';
export type { TraceContextSnapshot } from './core/context.js';
/** 'async' where the runtime has AsyncLocalStorage; 'sync-only' otherwise (see the README). */
export { contextPropagation } from './platform/async-context.js';
export { getLastActiveTraceId } from './api/last-trace.js';
export { getTracingContextHeadersForHttpRequest, withTracingContextFromHeaders, getTracingContextHeaders, continueTrace } from './api/distributed.js';
export type { TracingContextHeaders } from './api/distributed.js';

// ---- control ----
// Everything api/control.ts exports: enable/disable, sampling, destination, flushTraces, configureTracing.
export * from './api/control.js';
export { getTracingDiagnostics, setDiagnosticLogger } from './core/diagnostics.js';
export type { TracingDiagnostics } from './core/diagnostics.js';

// ---- destinations ----
export { InMemoryDestination } from './export/in-memory.js';
export type { TraceDestination } from './export/destination.js';
export { createMlflowDestination } from './exporters/mlflow/index.js';
export type { MlflowDestinationOptions, MlflowDestination } from './exporters/mlflow/index.js';
export { createOtlpDestination } from './exporters/otlp/index.js';
export type { OtlpDestinationOptions } from './exporters/otlp/index.js';
export type { DeliveryOptions } from './exporters/delivery/pipeline.js';
