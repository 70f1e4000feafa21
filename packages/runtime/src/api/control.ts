import { reportInternalError } from '../core/diagnostics.js';
import { runLeftoversQuietly } from '../core/stack-limit.js';
import type { LiveSpan } from '../core/live-span.js';
import { releaseAsyncHooksIfIdle } from '../core/idle-release.js';
import { runtimeState } from '../core/state.js';
import { tracesInProgress } from '../core/trace-buffer.js';
import type { TraceDestination } from '../export/destination.js';

/** Turns tracing on (the default). */
export function enableTracing(): void {
  runtimeState().enabled = true;
}

/**
 * Turns tracing off: traced functions then cost about a bare call and record nothing. Traces in
 * progress still finish; after the last one, the async-context hooks are taken out too.
 */
export function disableTracing(): void {
  runtimeState().enabled = false;
  releaseAsyncHooksIfIdle(tracesInProgress());
}

export function isTracingEnabled(): boolean {
  return runtimeState().enabled;
}

/**
 * Fraction of traces kept (0..1), decided once per trace at its root so a trace is always
 * complete or absent. Default: env MLFLOW_TRACE_SAMPLING_RATIO, else 1.
 */
export function setSamplingRatio(ratio: number): void {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new RangeError(`setSamplingRatio(ratio): ratio must be a number between 0 and 1, got ${String(ratio)}`);
  }
  runtimeState().samplingRatio = ratio;
}

export function getSamplingRatio(): number {
  return runtimeState().samplingRatio;
}

/**
 * Sends completed traces to `destination` instead of the configured default (tracking URI).
 * `undefined` restores the default.
 */
export function setDestination(destination: TraceDestination | undefined): void {
  if (destination !== undefined && (typeof destination?.export !== 'function' || typeof destination?.flush !== 'function')) {
    throw new TypeError('setDestination(destination): expected an object with export(trace), flush() and shutdown()');
  }
  runtimeState().destination = destination;
}

/** The destination traces currently go to (created from the tracking URI on first use). */
export function getDestination(): TraceDestination | undefined {
  const state = runtimeState();
  if (!state.destination && state.destinationFactory) state.destination = state.destinationFactory();
  return state.destination;
}

/** Resolves when every finished trace has been written/delivered (or given up). Never rejects. */
export async function flushTraces(): Promise<void> {
  runLeftoversQuietly();
  const destination = runtimeState().destination;
  if (!destination) return;
  try {
    await destination.flush();
  } catch (error) {
    reportInternalError(`flush ${destination.description}`, error);
  }
}

export interface TracingConfig {
  /**
   * Functions run on every span as it ends, before it is exported (redaction, enrichment).
   * A processor that throws is logged once and skipped.
   */
  spanProcessors?: Array<(span: LiveSpan) => void>;
  /** Maximum characters of one serialized input/output/attribute value (default 100,000). */
  maxValueChars?: number;
  /** Maximum yielded items recorded as a generator/stream span's output (default 1,000). */
  maxGeneratorItems?: number;
  /**
   * Spans one trace keeps (default 2,000). Later spans, and everything nested under them, are
   * not recorded; the number of those later spans (not of the calls nested under them) is in the
   * trace metadata `tracewright.trace.droppedSpans`.
   */
  maxSpansPerTrace?: number;
  /**
   * Characters of inputs, outputs and attributes one trace records (default 10,000,000). Past
   * it values are replaced by a marker, counted in `tracewright.trace.truncatedValues`.
   */
  maxTraceRecordedChars?: number;
  /**
   * Record an object that has a `toJSON()` method as what that method returns, as
   * `JSON.stringify` would (default false: recorded by its own fields). A `toJSON` is the
   * program's code, run while recording: one that reads memoizing getters changes what the
   * program later sees (xstate's state nodes did). The runtime's own entities and `URL`s are
   * always recorded through theirs.
   */
  useToJSON?: boolean;
}

export function configureTracing(config: TracingConfig): void {
  const state = runtimeState();
  if (config.spanProcessors !== undefined) {
    if (!Array.isArray(config.spanProcessors) || !config.spanProcessors.every((p) => typeof p === 'function')) {
      throw new TypeError('configureTracing: "spanProcessors" must be an array of functions');
    }
    state.spanProcessors = [...config.spanProcessors];
  }
  if (config.useToJSON !== undefined) {
    if (typeof config.useToJSON !== 'boolean') throw new TypeError(`configureTracing: "useToJSON" must be a boolean, got ${String(config.useToJSON)}`);
    state.useToJSON = config.useToJSON;
  }
  for (const key of ['maxValueChars', 'maxGeneratorItems', 'maxSpansPerTrace', 'maxTraceRecordedChars'] as const) {
    const v = config[key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`configureTracing: "${key}" must be a positive integer, got ${String(v)}`);
    state[key] = v;
  }
}
