/**
 * Spans as MLflow's GetTrace returns them (spec §5.2, §8.2): protobuf JSON of
 * `opentelemetry.proto.trace.v1.Span` — snake_case names (camelCase accepted), base64 ids,
 * ns times as numbers or strings, attribute values as typed AnyValue (the Python server
 * decodes MLflow's JSON strings before converting). Rebuilt into canonical MLflow spans,
 * whose attribute values are JSON-encoded again.
 */
import { SpanStatusCode, TRACE_ID_PREFIX } from '../../model/constants.js';
import { SpanStatus, toSpanStatusCode } from '../../model/span-status.js';
import { Span, type EventAttributeValue } from '../../model/span.js';

const STATUS_BY_CODE: Record<string, SpanStatusCode> = {
  '0': SpanStatusCode.UNSET,
  '1': SpanStatusCode.OK,
  '2': SpanStatusCode.ERROR,
};

const pick = (raw: any, snake: string, camel: string): any => raw?.[snake] ?? raw?.[camel];

function idHex(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const text = String(raw);
  // proto3 JSON is base64; some producers send hex (OTLP/JSON style)
  return /^[0-9a-f]{16}$|^[0-9a-f]{32}$/.test(text) ? text : Buffer.from(text, 'base64').toString('hex');
}

function ns(raw: unknown): bigint | null {
  if (raw === undefined || raw === null || raw === '') return null;
  return BigInt(typeof raw === 'number' ? Math.trunc(raw) : String(raw));
}

/** AnyValue (JSON form) → plain JS value. */
export function anyValueToJs(value: any): unknown {
  if (value === null || typeof value !== 'object') return value;
  const v = (snake: string, camel: string) => pick(value, snake, camel);
  if (v('string_value', 'stringValue') !== undefined) return v('string_value', 'stringValue');
  if (v('bool_value', 'boolValue') !== undefined) return Boolean(v('bool_value', 'boolValue'));
  if (v('int_value', 'intValue') !== undefined) return Number(v('int_value', 'intValue'));
  if (v('double_value', 'doubleValue') !== undefined) return Number(v('double_value', 'doubleValue'));
  const array = v('array_value', 'arrayValue');
  if (array !== undefined) return ((array.values ?? []) as unknown[]).map(anyValueToJs);
  const kvlist = v('kvlist_value', 'kvlistValue');
  if (kvlist !== undefined) return keyValuesToObject(kvlist.values);
  const bytes = v('bytes_value', 'bytesValue');
  if (bytes !== undefined) return String(bytes);
  return null;
}

function keyValuesToObject(list: any[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) out[String(kv.key)] = anyValueToJs(kv.value);
  return out;
}

export function spanFromOtelProtoJson(raw: any): Span {
  const traceHex = idHex(pick(raw, 'trace_id', 'traceId'))!;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(keyValuesToObject(raw.attributes))) attributes[key] = JSON.stringify(value);
  const status = raw.status ?? {};
  const code = STATUS_BY_CODE[String(status.code ?? 0)] ?? toSpanStatusCode(status.code) ?? SpanStatusCode.UNSET;
  return new Span({
    traceId: TRACE_ID_PREFIX + traceHex,
    spanId: idHex(pick(raw, 'span_id', 'spanId'))!,
    parentId: idHex(pick(raw, 'parent_span_id', 'parentSpanId')),
    name: String(raw.name ?? ''),
    startTimeUnixNano: ns(pick(raw, 'start_time_unix_nano', 'startTimeUnixNano')) ?? 0n,
    endTimeUnixNano: ns(pick(raw, 'end_time_unix_nano', 'endTimeUnixNano')),
    status: new SpanStatus(code, status.message ? String(status.message) : ''),
    encodedAttributes: attributes,
    events: ((raw.events ?? []) as any[]).map((e) => ({
      name: String(e.name ?? ''),
      timestamp: ns(pick(e, 'time_unix_nano', 'timeUnixNano')) ?? 0n,
      attributes: keyValuesToObject(e.attributes) as Record<string, EventAttributeValue>,
    })),
  });
}
