/**
 * What one MLflow span becomes in OTLP, independent of the wire format: hex ids, attribute
 * list (MLflow's JSON-encoded strings sent as stringValue, spec §3.4), typed event attributes,
 * numeric status. Both encoders (JSON and protobuf) read this, so they cannot disagree.
 */
import { SpanAttributeKey, SpanStatusCode, TraceMetadataKey } from '../../model/constants.js';
import { otelTraceIdHex } from '../../model/json.js';
import type { Span } from '../../model/span.js';
import type { Trace } from '../../model/trace.js';

/** A value OTLP's AnyValue can carry; numbers are ints when integral (as OpenTelemetry JS does). */
export type OtlpValue = string | number | boolean | readonly OtlpValue[];

export type OtlpAttribute = readonly [key: string, value: OtlpValue];

/** OTLP `Status.StatusCode`. */
const STATUS_CODE: Record<SpanStatusCode, number> = { [SpanStatusCode.UNSET]: 0, [SpanStatusCode.OK]: 1, [SpanStatusCode.ERROR]: 2 };
/** `SPAN_KIND_INTERNAL`: MLflow spans are in-process steps. */
export const SPAN_KIND_INTERNAL = 1;
/**
 * W3C "sampled" plus OTLP's SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE (0x100) with IS_REMOTE unset:
 * every parent is in this process. Same value OpenTelemetry JS sends for a local parent.
 */
export const SPAN_FLAGS_LOCAL_SAMPLED = 0x101;

export interface OtlpSpanView {
  traceIdHex: string;
  spanIdHex: string;
  parentSpanIdHex: string | undefined;
  name: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: OtlpAttribute[];
  events: { name: string; timeUnixNano: bigint; attributes: OtlpAttribute[] }[];
  statusCode: number;
  statusMessage: string;
}

export interface SpanViewOptions {
  /**
   * Copy trace-level data onto the root span (user.id, session.id, mlflow.traceTag.<k>) so a
   * generic collector — or an MLflow server behind one — keeps it (spec §4.1, §5.6). Not
   * wanted when the TraceInfo itself is also sent (MLflow destination).
   */
  traceLevelAttributes: boolean;
}

export function spanViewsOf(trace: Trace, options: SpanViewOptions): OtlpSpanView[] {
  return trace.data.spans.map((span) => spanView(span, options.traceLevelAttributes && !span.parentId ? trace : undefined));
}

function spanView(span: Span, rootOf: Trace | undefined): OtlpSpanView {
  const attributes: OtlpAttribute[] = [];
  // Own keys only: an enumerable key someone put on Object.prototype is not an attribute.
  for (const key of Object.keys(span.encodedAttributes)) attributes.push([key, span.encodedAttributes[key]!]);
  if (rootOf) attributes.push(...traceLevelAttributes(rootOf));
  const end = span.endTimeUnixNano ?? span.startTimeUnixNano;
  return {
    traceIdHex: otelTraceIdHex(span.traceId),
    spanIdHex: span.spanId,
    parentSpanIdHex: span.parentId ?? undefined,
    name: span.name,
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: end,
    attributes,
    events: span.events.map((e) => ({
      name: e.name,
      timeUnixNano: e.timestamp,
      attributes: Object.entries(e.attributes) as OtlpAttribute[],
    })),
    statusCode: STATUS_CODE[span.status.statusCode] ?? 0,
    statusMessage: span.status.description,
  };
}

/** Plain strings, not JSON-encoded: these are OTel semconv keys read by non-MLflow tools too. */
function traceLevelAttributes(trace: Trace): OtlpAttribute[] {
  const out: OtlpAttribute[] = [];
  const user = trace.info.traceMetadata[TraceMetadataKey.TRACE_USER];
  const session = trace.info.traceMetadata[TraceMetadataKey.TRACE_SESSION];
  if (user !== undefined) out.push([SpanAttributeKey.USER_ID, user]);
  if (session !== undefined) out.push([SpanAttributeKey.SESSION_ID, session]);
  for (const [key, value] of Object.entries(trace.info.tags)) out.push([SpanAttributeKey.TRACE_TAG_PREFIX + key, value]);
  return out;
}

/** Resource + scope shared by every span of one request. */
export interface OtlpEnvelope {
  resourceAttributes: OtlpAttribute[];
  scopeName: string;
  scopeVersion: string;
}
