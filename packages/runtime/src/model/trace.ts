import type { TraceState } from './constants.js';
import type { Span } from './span.js';

export interface TraceLocation {
  type: 'MLFLOW_EXPERIMENT';
  mlflowExperiment: { experimentId: string };
}

/** TraceInfo V3 (spec §2), in camelCase with times in milliseconds as the TS SDKs hold it. */
export interface TraceInfo {
  /** `tr-<32 hex>` */
  traceId: string;
  clientRequestId?: string;
  traceLocation: TraceLocation;
  /** Root span start, ms since the epoch. */
  requestTime: number;
  /** Root span duration in ms (absent while in progress). */
  executionDuration?: number;
  state: TraceState;
  requestPreview?: string;
  responsePreview?: string;
  /** Immutable key/values written once; values are strings. */
  traceMetadata: Record<string, string>;
  /** Mutable key/values; values are strings. */
  tags: Record<string, string>;
  assessments: unknown[];
}

export interface TraceData {
  spans: Span[];
}

/** A complete trace: its info and its spans (root usually first; order is not significant). */
export interface Trace {
  info: TraceInfo;
  data: TraceData;
}

export function experimentIdOf(info: TraceInfo): string {
  return info.traceLocation.mlflowExperiment.experimentId;
}

export function rootSpanOf(trace: Trace): Span | undefined {
  return trace.data.spans.find((s) => !s.parentId);
}
