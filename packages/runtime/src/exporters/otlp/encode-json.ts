/**
 * OTLP/JSON `ExportTraceServiceRequest` per the OTLP spec's JSON mapping: lowerCamelCase
 * names, hex (not base64) trace/span ids, enums as integers, 64-bit times as decimal strings.
 */
import { SPAN_FLAGS_LOCAL_SAMPLED, SPAN_KIND_INTERNAL, type OtlpAttribute, type OtlpEnvelope, type OtlpSpanView, type OtlpValue } from './span-view.js';

export function encodeTraceRequestJson(envelope: OtlpEnvelope, spans: readonly OtlpSpanView[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: jsonAttributes(envelope.resourceAttributes) },
        scopeSpans: [
          {
            scope: { name: envelope.scopeName, version: envelope.scopeVersion },
            spans: spans.map(jsonSpan),
          },
        ],
      },
    ],
  });
}

function jsonSpan(s: OtlpSpanView): Record<string, unknown> {
  const out: Record<string, unknown> = { traceId: s.traceIdHex, spanId: s.spanIdHex };
  if (s.parentSpanIdHex) out.parentSpanId = s.parentSpanIdHex;
  out.flags = SPAN_FLAGS_LOCAL_SAMPLED;
  out.name = s.name;
  out.kind = SPAN_KIND_INTERNAL;
  out.startTimeUnixNano = s.startTimeUnixNano.toString();
  out.endTimeUnixNano = s.endTimeUnixNano.toString();
  out.attributes = jsonAttributes(s.attributes);
  out.events = s.events.map((e) => ({ timeUnixNano: e.timeUnixNano.toString(), name: e.name, attributes: jsonAttributes(e.attributes) }));
  const status: Record<string, unknown> = { code: s.statusCode };
  if (s.statusMessage) status.message = s.statusMessage;
  out.status = status;
  return out;
}

function jsonAttributes(attributes: readonly OtlpAttribute[]): Array<{ key: string; value: Record<string, unknown> }> {
  return attributes.map(([key, value]) => ({ key, value: jsonAnyValue(value) }));
}

function jsonAnyValue(value: OtlpValue): Record<string, unknown> {
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'number':
      return Number.isSafeInteger(value) ? { intValue: value } : { doubleValue: value };
    default:
      return { arrayValue: { values: (value as readonly OtlpValue[]).map(jsonAnyValue) } };
  }
}
