/**
 * The few facts about a trace every listing shows (CLI table, viewer list), read from its
 * TraceInfo only — so listings never need the spans.
 */
import { TraceMetadataKey, TraceTagKey, type TraceInfo } from '@tracewright/runtime';

export interface TraceSummary {
  traceId: string;
  name: string;
  state: string;
  requestTime: number;
  durationMs: number | undefined;
  user: string | undefined;
  session: string | undefined;
  totalTokens: number | undefined;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  totalCost: number | undefined;
  experimentId: string;
  requestPreview: string;
  responsePreview: string;
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

export function summarize(info: TraceInfo): TraceSummary {
  const usage = parseObject(info.traceMetadata[TraceMetadataKey.TOKEN_USAGE]);
  const cost = parseObject(info.traceMetadata[TraceMetadataKey.COST]);
  return {
    traceId: info.traceId,
    name: info.tags[TraceTagKey.TRACE_NAME] ?? '',
    state: info.state,
    requestTime: info.requestTime,
    durationMs: info.executionDuration,
    user: info.traceMetadata[TraceMetadataKey.TRACE_USER],
    session: info.traceMetadata[TraceMetadataKey.TRACE_SESSION],
    totalTokens: num(usage?.total_tokens),
    inputTokens: num(usage?.input_tokens),
    outputTokens: num(usage?.output_tokens),
    totalCost: num(cost?.total_cost),
    experimentId: info.traceLocation.mlflowExperiment.experimentId,
    requestPreview: info.requestPreview ?? '',
    responsePreview: info.responsePreview ?? '',
  };
}
