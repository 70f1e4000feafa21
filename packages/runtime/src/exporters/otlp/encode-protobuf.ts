/**
 * OTLP/protobuf `ExportTraceServiceRequest` (opentelemetry/proto/collector/trace/v1), field
 * numbers from the official trace.proto / common.proto / resource.proto.
 */
import { ProtoWriter } from './protobuf-writer.js';
import { SPAN_FLAGS_LOCAL_SAMPLED, SPAN_KIND_INTERNAL, type OtlpAttribute, type OtlpEnvelope, type OtlpSpanView, type OtlpValue } from './span-view.js';

export function encodeTraceRequestProtobuf(envelope: OtlpEnvelope, spans: readonly OtlpSpanView[]): Uint8Array {
  const w = new ProtoWriter(1024 + spans.length * 512);
  w.begin(1); // resource_spans
  w.begin(1); // resource
  writeAttributes(w, 1, envelope.resourceAttributes);
  w.end();
  w.begin(2); // scope_spans
  w.begin(1).string(1, envelope.scopeName).string(2, envelope.scopeVersion).end(); // scope
  for (const span of spans) writeSpan(w, span);
  w.end();
  w.end();
  return w.finish();
}

function writeSpan(w: ProtoWriter, s: OtlpSpanView): void {
  w.begin(2);
  w.hexBytes(1, s.traceIdHex).hexBytes(2, s.spanIdHex);
  if (s.parentSpanIdHex) w.hexBytes(4, s.parentSpanIdHex);
  w.string(5, s.name).uint32(6, SPAN_KIND_INTERNAL).fixed64(7, s.startTimeUnixNano).fixed64(8, s.endTimeUnixNano);
  writeAttributes(w, 9, s.attributes);
  for (const e of s.events) {
    w.begin(11).fixed64(1, e.timeUnixNano).string(2, e.name);
    writeAttributes(w, 3, e.attributes);
    w.end();
  }
  w.begin(15);
  if (s.statusMessage) w.string(2, s.statusMessage);
  if (s.statusCode) w.uint32(3, s.statusCode);
  w.end();
  w.fixed32(16, SPAN_FLAGS_LOCAL_SAMPLED);
  w.end();
}

function writeAttributes(w: ProtoWriter, field: number, attributes: readonly OtlpAttribute[]): void {
  for (const [key, value] of attributes) {
    w.begin(field).string(1, key);
    w.begin(2);
    writeAnyValueFields(w, value);
    w.end();
    w.end();
  }
}

/** The oneof of `AnyValue` (string 1, bool 2, int 3, double 4, array 5). */
function writeAnyValueFields(w: ProtoWriter, value: OtlpValue): void {
  switch (typeof value) {
    case 'string':
      w.string(1, value);
      return;
    case 'boolean':
      w.bool(2, value);
      return;
    case 'number':
      if (Number.isSafeInteger(value)) w.int64(3, value);
      else w.double(4, value);
      return;
    default:
      if (Array.isArray(value)) {
        w.begin(5);
        for (const item of value as readonly OtlpValue[]) {
          w.begin(1);
          writeAnyValueFields(w, item);
          w.end();
        }
        w.end();
      }
  }
}
