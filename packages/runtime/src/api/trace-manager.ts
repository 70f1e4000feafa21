/**
 * MLflow's `InMemoryTraceManager` (libs/typescript/core/src/core/trace_manager.ts) as a view
 * over tracewright's own registry of in-progress traces (core/trace-buffer.ts): code and tests
 * written against the MLflow SDK can look traces and spans up by id, without a second registry
 * that could disagree with what is exported.
 */
import { TRACE_ID_PREFIX } from '../model/constants.js';
import type { Trace, TraceInfo } from '../model/trace.js';
import { LiveSpan } from '../core/live-span.js';
import { runtimeState } from '../core/state.js';
import { traceInProgress, type TraceBuffer } from '../core/trace-buffer.js';

/** An in-progress trace as MLflow's manager hands it out: its info so far and its spans by id. */
export interface ManagedTrace {
  /** The TraceInfo the trace would be exported with if it finished now (computed on read). */
  readonly info: TraceInfo;
  /** Spans recorded in this process, by span id. */
  readonly spanDict: Map<string, LiveSpan>;
}

/** MLflow ids are `tr-` + the OTel trace id; either form is accepted. */
function toMlflowTraceId(id: string): string {
  return id.startsWith(TRACE_ID_PREFIX) ? id : TRACE_ID_PREFIX + id;
}

/**
 * The in-progress trace with this id that has begun a span: a continued distributed context
 * makes its buffer before any span exists, and there is nothing to show or pop yet.
 */
function started(id: unknown): TraceBuffer | undefined {
  if (typeof id !== 'string') return undefined;
  const buffer = traceInProgress(toMlflowTraceId(id));
  return buffer?.root ? buffer : undefined;
}

function managed(buffer: TraceBuffer): ManagedTrace {
  const spanDict = new Map<string, LiveSpan>();
  for (const span of buffer.spans) if (span instanceof LiveSpan) spanDict.set(span.spanId, span);
  return {
    get info() {
      return buffer.buildInfo();
    },
    spanDict,
  };
}

export class InMemoryTraceManager {
  private static instance: InMemoryTraceManager | undefined;

  static getInstance(): InMemoryTraceManager {
    return (InMemoryTraceManager.instance ??= new InMemoryTraceManager());
  }

  /**
   * Forgets the singleton. Unlike MLflow's it does not drop in-progress traces: they belong
   * to running code and are still exported when they end.
   */
  static reset(): void {
    InMemoryTraceManager.instance = undefined;
  }

  private constructor() {}

  /** Id of the trace whose root span ended last in this process. */
  get lastActiveTraceId(): string | undefined {
    return runtimeState().lastActiveTraceId;
  }

  /** The in-progress trace with this id (`tr-…` or 32 hex chars), or null. */
  getTrace(traceId: string): ManagedTrace | null {
    const buffer = started(traceId);
    return buffer ? managed(buffer) : null;
  }

  /** `tr-<otel id>` while that trace is in progress, else null. */
  getMlflowTraceIdFromOtelId(otelTraceId: string): string | null {
    return started(otelTraceId)?.traceId ?? null;
  }

  getSpan(traceId?: string | null, spanId?: string | null): LiveSpan | null {
    if (typeof spanId !== 'string') return null;
    const span = started(traceId)?.spans.find((s) => s.spanId === spanId);
    return span instanceof LiveSpan ? span : null;
  }

  /**
   * Removes the in-progress trace and returns it as it stands. It is then not exported: the
   * caller owns it (what MLflow's exporter does with a popped trace). Spans still open keep
   * recording into the returned trace's span list but nothing is written for them.
   */
  popTrace(otelTraceId: string): Trace | null {
    return started(otelTraceId)?.take() ?? null;
  }
}
