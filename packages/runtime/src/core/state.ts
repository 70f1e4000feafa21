/**
 * The tracer's process-wide state, kept on `globalThis` under a registered symbol so that the
 * ESM and CommonJS copies of this package (or two bundled copies) share one context, one
 * destination and one set of in-progress traces, as OpenTelemetry's API does.
 */
import { createContextStorage, type ContextStorage } from '../platform/async-context.js';
import { processEnv } from '../platform/env.js';
import type { TraceDestination } from '../export/destination.js';
import type { LiveSpan } from './live-span.js';
import type { RemoteSpanContext } from './trace-context.js';

const STATE_KEY = Symbol.for('tracewright.runtime.state');
export const STATE_VERSION = 3;

export interface TraceScope {
  /** Metadata / tags injected into every trace started inside the scope. */
  metadata?: Record<string, string>;
  tags?: Record<string, string>;
  /** false disables tracing inside the scope. */
  enabled?: boolean;
}

/** What the AsyncLocalStorage carries: the active span, or a scope without a span. */
export interface ContextFrame {
  span: LiveSpan | undefined;
  /** Sampled-out subtree: spans started here are no-ops, so children drop consistently. */
  dropped: boolean;
  scope: TraceScope | undefined;
  /** The context this one was entered from (the caller's), for "is this inside that call?". */
  caller?: ContextFrame | undefined;
}

export interface RuntimeState {
  readonly version: number;
  /** AsyncLocalStorage, or the synchronous fallback where the runtime has none (platform/sync-context.ts). */
  readonly als: ContextStorage<ContextFrame>;
  enabled: boolean;
  samplingRatio: number;
  /** Experiment that new traces belong to (set by setExperiment / init / env). */
  experimentId: string;
  destination: TraceDestination | undefined;
  /** Creates the default destination on first export (installed by the config module). */
  destinationFactory: (() => TraceDestination) | undefined;
  lastActiveTraceId: string | undefined;
  /** Upper bound on serialized input/output size per value, in characters. */
  maxValueChars: number;
  /** Maximum number of yielded items recorded as a generator span's output. */
  maxGeneratorItems: number;
  /** Record objects through their own `toJSON()` (configureTracing's `useToJSON`). */
  useToJSON: boolean;
  /** Spans one trace may record; later ones (and their descendants) are counted, not kept. */
  maxSpansPerTrace: number;
  /** Characters of inputs/outputs/attributes one trace may record; past it values become markers. */
  maxTraceRecordedChars: number;
  /**
   * > 0 while a value is being serialized: code the serializer reaches (getters, toJSON, proxy
   * traps) runs untraced, so recording can never re-enter tracing.
   */
  recording: number;
  spanProcessors: Array<(span: LiveSpan) => void>;
  /**
   * Installed by the OpenTelemetry bridge only: the span of another tracer that a new root
   * span nests under (the active OTel span). Absent: tracewright never reads OTel context.
   */
  externalParent?: (() => RemoteSpanContext | undefined) | undefined;
  /** MLflow's registerOnSpanStartHook / registerOnSpanEndHook callbacks, in registration order. */
  spanStartHooks: Array<(span: LiveSpan) => void>;
  spanEndHooks: Array<(span: LiveSpan) => void>;
  diagnostics: {
    errors: Record<string, number>;
    dropped: Record<string, number>;
    /** Spans tracewright had to end, per "<span name> (<reason>)"; absent in states made by older copies. */
    unfinished?: Record<string, number>;
    log: ((message: string) => void) | null;
  };
}

/**
 * An invalid MLFLOW_TRACE_SAMPLING_RATIO must not stop the application from starting: it is
 * reported once and tracing keeps every trace.
 */
function parseSamplingRatio(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  const ratio = Number(raw);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    console.warn(`[tracewright] MLFLOW_TRACE_SAMPLING_RATIO must be a number between 0 and 1, got ${JSON.stringify(raw)}; sampling every trace.`);
    return 1;
  }
  return ratio;
}

function createState(): RuntimeState {
  return {
    version: STATE_VERSION,
    als: createContextStorage<ContextFrame>(),
    enabled: true,
    samplingRatio: parseSamplingRatio(processEnv().MLFLOW_TRACE_SAMPLING_RATIO),
    experimentId: processEnv().MLFLOW_EXPERIMENT_ID || '0',
    destination: undefined,
    destinationFactory: undefined,
    lastActiveTraceId: undefined,
    maxValueChars: 100_000,
    maxGeneratorItems: 1_000,
    useToJSON: false,
    maxSpansPerTrace: 2_000,
    maxTraceRecordedChars: 10_000_000,
    recording: 0,
    spanProcessors: [],
    spanStartHooks: [],
    spanEndHooks: [],
    diagnostics: { errors: {}, dropped: {}, unfinished: {}, log: (m) => console.warn(m) },
  };
}

let cached: RuntimeState | undefined;

export function runtimeState(): RuntimeState {
  if (cached) return cached;
  const g = globalThis as unknown as Record<symbol, RuntimeState | undefined>;
  let state = g[STATE_KEY];
  if (!state) {
    state = createState();
    Object.defineProperty(g, STATE_KEY, { value: state, enumerable: false, configurable: false, writable: false });
  } else if (state.version !== STATE_VERSION) {
    console.warn(
      `[tracewright] two incompatible copies of @tracewright/runtime are loaded (state v${state.version} and v${STATE_VERSION}); spans will not nest across them.`,
    );
    state = createState();
  }
  cached = state;
  return state;
}

