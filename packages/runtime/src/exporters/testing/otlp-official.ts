/**
 * Test-only: OTLP decoding with the official OpenTelemetry protobuf definitions — the static
 * protobufjs module generated from opentelemetry-proto that @opentelemetry/otlp-transformer
 * shipped up to 0.52 (installed as the dev dependency `otlp-proto-defs`).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-var-requires
const root = require('otlp-proto-defs/build/src/generated/root.js');

export const ExportTraceServiceRequest = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
export const ExportTraceServiceResponse = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/** Plain object with official field names; ids as lowercase hex, 64-bit ints as decimal strings. */
export interface DecodedRequest {
  resourceSpans: Array<{
    resource?: { attributes?: DecodedKeyValue[] };
    scopeSpans: Array<{ scope?: { name?: string; version?: string }; spans: DecodedSpan[] }>;
  }>;
}
export interface DecodedKeyValue {
  key: string;
  value: Record<string, unknown>;
}
export interface DecodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  flags?: number;
  name: string;
  kind?: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: DecodedKeyValue[];
  events?: Array<{ timeUnixNano: string; name: string; attributes?: DecodedKeyValue[] }>;
  status?: { code?: number; message?: string };
}

const TO_OBJECT = { longs: String, bytes: String, enums: Number, defaults: false, arrays: true } as const;

function bytesToHex(obj: any): any {
  // toObject renders bytes as base64; OTLP's JSON mapping uses hex for ids.
  for (const rs of obj.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        for (const key of ['traceId', 'spanId', 'parentSpanId']) {
          if (span[key] !== undefined) span[key] = Buffer.from(span[key], 'base64').toString('hex');
          if (span[key] === '') delete span[key];
        }
      }
    }
  }
  return obj;
}

export function decodeOtlpProtobuf(body: Uint8Array): DecodedRequest {
  const message = ExportTraceServiceRequest.decode(body);
  return bytesToHex(ExportTraceServiceRequest.toObject(message, TO_OBJECT));
}

/**
 * OTLP/JSON → the same shape, through the official message type: ids must be hex, every
 * field must be one the definition knows (fromObject + verify + a strict key check).
 */
export function decodeOtlpJson(text: string): DecodedRequest {
  const raw = JSON.parse(text);
  assertKnownKeys(raw, REQUEST_SHAPE, '$');
  for (const rs of raw.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        for (const key of ['traceId', 'spanId', 'parentSpanId']) {
          if (span[key] === undefined || span[key] === '') continue;
          if (!/^[0-9a-f]+$/.test(span[key])) throw new Error(`OTLP/JSON ${key} must be lowercase hex, got ${span[key]}`);
          span[key] = Buffer.from(span[key], 'hex').toString('base64');
        }
      }
    }
  }
  const message = ExportTraceServiceRequest.fromObject(raw);
  const problem = ExportTraceServiceRequest.verify(message);
  if (problem) throw new Error(`OTLP/JSON does not verify against the official definition: ${problem}`);
  return bytesToHex(ExportTraceServiceRequest.toObject(message, TO_OBJECT));
}

// Field names per message in opentelemetry/proto (collector/trace/v1, trace/v1, common/v1, resource/v1).
type Shape = { [key: string]: Shape | 'leaf' };
const ANY_VALUE: Shape = {};
Object.assign(ANY_VALUE, {
  stringValue: 'leaf',
  boolValue: 'leaf',
  intValue: 'leaf',
  doubleValue: 'leaf',
  bytesValue: 'leaf',
  arrayValue: { values: ANY_VALUE },
  kvlistValue: { values: { key: 'leaf', value: ANY_VALUE } },
});
const KEY_VALUE: Shape = { key: 'leaf', value: ANY_VALUE };
const SPAN: Shape = {
  traceId: 'leaf',
  spanId: 'leaf',
  traceState: 'leaf',
  parentSpanId: 'leaf',
  flags: 'leaf',
  name: 'leaf',
  kind: 'leaf',
  startTimeUnixNano: 'leaf',
  endTimeUnixNano: 'leaf',
  attributes: KEY_VALUE,
  droppedAttributesCount: 'leaf',
  events: { timeUnixNano: 'leaf', name: 'leaf', attributes: KEY_VALUE, droppedAttributesCount: 'leaf' },
  droppedEventsCount: 'leaf',
  links: { traceId: 'leaf', spanId: 'leaf', traceState: 'leaf', attributes: KEY_VALUE, droppedAttributesCount: 'leaf', flags: 'leaf' },
  droppedLinksCount: 'leaf',
  status: { message: 'leaf', code: 'leaf' },
};
const REQUEST_SHAPE: Shape = {
  resourceSpans: {
    resource: { attributes: KEY_VALUE, droppedAttributesCount: 'leaf' },
    scopeSpans: {
      scope: { name: 'leaf', version: 'leaf', attributes: KEY_VALUE, droppedAttributesCount: 'leaf' },
      spans: SPAN,
      schemaUrl: 'leaf',
    },
    schemaUrl: 'leaf',
  },
};

function assertKnownKeys(value: unknown, shape: Shape, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertKnownKeys(v, shape, `${path}[${i}]`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const sub = shape[key];
    if (sub === undefined) throw new Error(`OTLP/JSON: unknown field ${path}.${key}`);
    if (sub !== 'leaf') assertKnownKeys(child, sub, `${path}.${key}`);
  }
}

/** AnyValue object (official field names) → plain JS value. */
export function anyValueOf(value: Record<string, any> | undefined): unknown {
  if (!value) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value) return (value.arrayValue.values ?? []).map(anyValueOf);
  if ('kvlistValue' in value) return Object.fromEntries((value.kvlistValue.values ?? []).map((kv: any) => [kv.key, anyValueOf(kv.value)]));
  return undefined;
}

export function attributesOf(list: DecodedKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, anyValueOf(kv.value)]));
}
