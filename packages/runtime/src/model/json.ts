/**
 * MLflow's JSON forms of traces (spec §2, §3): the v3 span dict (base64 ids, ns integers,
 * JSON-encoded attributes) and TraceInfo V3 in REST shape. Every store, exporter and reader
 * converts through here, so "our traces are MLflow's traces" is decided in one file.
 */
import { SpanLink, type SerializedSpanLink } from './span-link.js';
import { SpanStatusCode, TRACE_ID_PREFIX, type TraceState } from './constants.js';
import { jsonText, quotedOnce, setOwnValue } from './json-text.js';
import { Span, type EventAttributeValue, type SpanEvent } from './span.js';
import { SpanStatus, toSpanStatusCode } from './span-status.js';
// trace.ts's entity classes call back into this module, only from their methods (no
// load-time use either way, so the import cycle is harmless in ESM and CJS).
import { TraceDataEntity, TraceEntity, TraceInfoEntity, type Trace, type TraceInfo } from './trace.js';
import { base64ToBytes, bytesToHex, hexToBase64 } from '../platform/bytes.js';

// ---------- ids ----------

export { hexToBase64 };
export function base64ToHex(b64: string): string {
  return bytesToHex(base64ToBytes(b64));
}
/** `tr-<hex>` → `<hex>`; accepts V4 ids (`trace:/<location>/<hex>`). */
export function otelTraceIdHex(traceId: string): string {
  if (traceId.startsWith(TRACE_ID_PREFIX)) return traceId.slice(TRACE_ID_PREFIX.length);
  if (traceId.startsWith('trace:/')) return traceId.slice(traceId.lastIndexOf('/') + 1);
  return traceId;
}

// ---------- span (v3 dict) ----------

/** One span as MLflow's v3 dict (spec §3.2), with the ns times as exact bigints. */
export interface SpanJson {
  /** base64 of the 16 OTel trace-id bytes. */
  trace_id: string;
  span_id: string;
  /** `''` for a root span (MLflow TS's form; Python writes null: readers take both). */
  parent_span_id: string | null;
  name: string;
  start_time_unix_nano: bigint;
  end_time_unix_nano: bigint | null;
  status: { code: string; message: string };
  /** JSON-encoded attribute values (spec §3.4). */
  attributes: Record<string, string>;
  events: Array<{ name: string; time_unix_nano: bigint; attributes: Record<string, EventAttributeValue> }>;
  /** Present only when the span has links (keeps link-less spans byte-identical to before). */
  links?: SerializedSpanLink[];
}

/** `{"spans": [...]}` — the `traces.json` artifact. */
export interface TraceDataJson {
  spans: SpanJson[];
}

/** `{"info", "data"}` — MLflow's `Trace.to_json()` / TS `Trace.toJson()`. */
export interface TraceJson {
  info: TraceInfoJson;
  data: TraceDataJson;
}

// Every span of a trace has the same trace id, and siblings the same parent: written one after
// another, each is converted once (keyed by the id as the span gives it: a trace id's hex is a
// fresh slice on every read, compared by content, where the id itself often is the same string).
interface Remembered {
  id: string;
  base64: string;
}
const lastTraceId: Remembered = { id: '', base64: '' };
const lastParentId: Remembered = { id: '', base64: '' };
function rememberedBase64(last: Remembered, id: string, toBase64: (id: string) => string): string {
  if (id !== last.id) {
    last.base64 = toBase64(id);
    last.id = id;
  }
  return last.base64;
}
const traceIdBase64 = (traceId: string): string => hexToBase64(otelTraceIdHex(traceId));

function statusJson(span: Span): SpanJson['status'] {
  return { code: span.status.statusCode, message: span.status.description };
}
function eventJson(e: SpanEvent): SpanJson['events'][number] {
  return { name: e.name, time_unix_nano: e.timestamp, attributes: e.attributes };
}

export function spanToJson(span: Span): SpanJson {
  return {
    trace_id: rememberedBase64(lastTraceId, span.traceId, traceIdBase64),
    span_id: hexToBase64(span.spanId),
    parent_span_id: span.parentId ? rememberedBase64(lastParentId, span.parentId, hexToBase64) : '',
    name: span.name,
    start_time_unix_nano: span.startTimeUnixNano,
    end_time_unix_nano: span.endTimeUnixNano,
    status: statusJson(span),
    attributes: span.encodedAttributes,
    events: span.events.map(eventJson),
    ...(span.links.length > 0 ? { links: span.links.map((l) => l.toJson()) } : {}),
  };
}

function linksFromJson(raw: any[] | undefined): SpanLink[] {
  return Array.isArray(raw) ? raw.map((l) => SpanLink.fromJson(l as SerializedSpanLink)) : [];
}

export function traceDataToJson(spans: readonly Span[]): TraceDataJson {
  return { spans: spans.map(spanToJson) };
}

/**
 * One span's v3 dict as exact JSON text: `jsonText(spanToJson(span))`, written field by field
 * (the store and exporters write every span through here; the dict and a generic walk over it
 * cost as much as the attributes' own JSON). Ids are base64, never escaped.
 */
export function spanToJsonText(span: Span): string {
  return `${spanHeadText(span)}"attributes":${jsonText(span.encodedAttributes)}${spanTailText(span)}`;
}

/**
 * The span's dict up to its attributes: `{"trace_id":…,"status":{…},` — with
 * {@link spanTailText} around the attributes' JSON (most of a span's text: its inputs and
 * outputs), a writer encodes the pieces one by one and never copies the attributes into one
 * joined text (a copy of most of every span's text, garbage on the store's path). The local
 * store writes its own form of the attributes between them (store/trace-body.ts).
 */
export function spanHeadText(span: Span): string {
  const parent = span.parentId ? rememberedBase64(lastParentId, span.parentId, hexToBase64) : '';
  const end = span.endTimeUnixNano;
  const status = span.status;
  return `{"trace_id":"${rememberedBase64(lastTraceId, span.traceId, traceIdBase64)}","span_id":"${hexToBase64(span.spanId)}","parent_span_id":"${parent}","name":${quotedOnce(span.name)},"start_time_unix_nano":${span.startTimeUnixNano},"end_time_unix_nano":${end === null ? 'null' : end},"status":{"code":${quotedOnce(status.statusCode)},"message":${quotedOnce(status.description)}},`;
}

/** The span's dict after its attributes: `,"events":[…]…}` (see {@link spanHeadText}). */
export function spanTailText(span: Span): string {
  let tail = ',"events":';
  tail += span.events.length === 0 ? '[]' : jsonText(span.events.map(eventJson));
  if (span.links.length > 0) tail += `,"links":${jsonText(span.links.map((l) => l.toJson()))}`;
  return `${tail}}`;
}

/** `{"spans":[...]}` — the `traces.json` artifact body. */
export function traceDataToJsonText(spans: readonly Span[]): string {
  let text = '{"spans":[';
  for (let i = 0; i < spans.length; i++) text += (i > 0 ? ',' : '') + spanToJsonText(spans[i]!);
  return `${text}]}`;
}

const BIG_INT_KEYS = /"(start_time_unix_nano|end_time_unix_nano|time_unix_nano|start_time|end_time|timestamp)"(\s*):(\s*)(-?\d+)/g;

/**
 * JSON.parse that keeps ns timestamps exact: integer values of the known time keys are quoted
 * before parsing (inside JSON-encoded attribute strings the key quotes are escaped, so user
 * content never matches).
 */
export function parseJsonWithBigTimes(text: string): any {
  return JSON.parse(text.replace(BIG_INT_KEYS, '"$1"$2:$3"$4"'));
}

function toBigInt(v: unknown): bigint | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  return BigInt(String(v));
}

function statusFromJson(raw: any): SpanStatus {
  const code = toSpanStatusCode(raw?.code ?? raw?.status_code ?? raw) ?? SpanStatusCode.UNSET;
  const message = raw?.message ?? raw?.description;
  return new SpanStatus(code, message ? String(message) : '');
}

function encodeAttributes(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    // v3 dicts hold JSON-encoded strings already; TS-ref writes decoded values: re-encode those.
    // `__proto__` is a key like any other (JSON.parse made it an own property).
    setOwnValue(out, k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  return out;
}

function eventsFromJson(raw: any[] | undefined): SpanEvent[] {
  return (raw ?? []).map((e) => ({
    name: String(e.name),
    timestamp: toBigInt(e.time_unix_nano ?? e.timestamp) ?? 0n,
    attributes: (e.attributes ?? {}) as Record<string, EventAttributeValue>,
  }));
}

/** Reads a span dict in any layout MLflow readers accept: v2 (`context`), v3 (base64), v4 (hex). */
export function spanFromJson(raw: any): Span {
  if (raw.context) {
    const traceHex = String(raw.context.trace_id).replace(/^0x/, '');
    return new Span({
      traceId: TRACE_ID_PREFIX + traceHex,
      spanId: String(raw.context.span_id).replace(/^0x/, ''),
      parentId: raw.parent_id ? String(raw.parent_id).replace(/^0x/, '') : null,
      name: String(raw.name),
      startTimeUnixNano: toBigInt(raw.start_time) ?? 0n,
      endTimeUnixNano: toBigInt(raw.end_time),
      status: statusFromJson({ code: raw.status_code, message: raw.status_message }),
      encodedAttributes: encodeAttributes(raw.attributes),
      events: eventsFromJson(raw.events),
    });
  }
  const hexIds = raw.otel_trace_id !== undefined;
  const traceHex = hexIds ? String(raw.otel_trace_id) : base64ToHex(String(raw.trace_id));
  const id = (v: unknown) => (v ? (hexIds ? String(v) : base64ToHex(String(v))) : null);
  return new Span({
    traceId: TRACE_ID_PREFIX + traceHex,
    spanId: id(raw.span_id)!,
    parentId: id(raw.parent_span_id),
    name: String(raw.name),
    startTimeUnixNano: toBigInt(raw.start_time_unix_nano) ?? 0n,
    endTimeUnixNano: toBigInt(raw.end_time_unix_nano),
    status: statusFromJson(raw.status),
    encodedAttributes: encodeAttributes(raw.attributes),
    events: eventsFromJson(raw.events),
    links: linksFromJson(raw.links),
  });
}

// ---------- TraceInfo V3 (REST JSON) ----------

export interface TraceInfoJson {
  trace_id: string;
  client_request_id?: string;
  trace_location: { type: 'MLFLOW_EXPERIMENT'; mlflow_experiment: { experiment_id: string } };
  request_preview?: string;
  response_preview?: string;
  request_time: string;
  execution_duration?: string;
  state: TraceState;
  trace_metadata: Record<string, string>;
  tags: Record<string, string>;
  assessments: unknown[];
}

/** `"1.234s"` — protobuf Duration JSON form (≤ 9 fractional digits). */
export function msToDuration(ms: number): string {
  const s = (ms / 1000).toFixed(9).replace(/\.?0+$/, '');
  return `${s}s`;
}
export function durationToMs(d: string | number | undefined): number | undefined {
  if (d === undefined || d === null) return undefined;
  if (typeof d === 'number') return d;
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(d.trim());
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

export function traceInfoToJson(info: TraceInfo): TraceInfoJson {
  const out: TraceInfoJson = {
    trace_id: info.traceId,
    trace_location: {
      type: 'MLFLOW_EXPERIMENT',
      mlflow_experiment: { experiment_id: info.traceLocation.mlflowExperiment.experimentId },
    },
    request_time: new Date(info.requestTime).toISOString(),
    state: info.state,
    trace_metadata: { ...info.traceMetadata },
    tags: { ...info.tags },
    assessments: info.assessments,
  };
  if (info.clientRequestId !== undefined) out.client_request_id = info.clientRequestId;
  if (info.requestPreview !== undefined) out.request_preview = info.requestPreview;
  if (info.responsePreview !== undefined) out.response_preview = info.responsePreview;
  if (info.executionDuration !== undefined) out.execution_duration = msToDuration(info.executionDuration);
  return out;
}

export function traceInfoFromJson(raw: any): TraceInfoEntity {
  const requestTime = typeof raw.request_time === 'number' ? raw.request_time : Date.parse(String(raw.request_time));
  const info: TraceInfo = {
    traceId: String(raw.trace_id ?? raw.request_id),
    traceLocation: {
      type: 'MLFLOW_EXPERIMENT',
      mlflowExperiment: {
        experimentId: String(raw.trace_location?.mlflow_experiment?.experiment_id ?? raw.experiment_id ?? '0'),
      },
    },
    requestTime,
    state: (raw.state ?? raw.status ?? 'STATE_UNSPECIFIED') as TraceState,
    traceMetadata: { ...(raw.trace_metadata ?? {}) },
    tags: { ...(raw.tags ?? {}) },
    assessments: Array.isArray(raw.assessments) ? raw.assessments : [],
  };
  if (raw.client_request_id !== undefined) info.clientRequestId = String(raw.client_request_id);
  if (raw.request_preview !== undefined) info.requestPreview = String(raw.request_preview);
  if (raw.response_preview !== undefined) info.responsePreview = String(raw.response_preview);
  const duration = durationToMs(raw.execution_duration ?? raw.execution_duration_ms);
  if (duration !== undefined) info.executionDuration = duration;
  return new TraceInfoEntity(info);
}

// ---------- whole trace ----------

export function traceToJson(trace: Trace): TraceJson {
  return { info: traceInfoToJson(trace.info), data: traceDataToJson(trace.data.spans) };
}

/** `{"info": TraceInfoV3, "data": {"spans": [...]}}` — MLflow's `Trace.to_json()` shape. */
export function traceToJsonText(trace: Trace): string {
  return jsonText(traceToJson(trace));
}

export function traceFromJsonText(text: string): TraceEntity {
  const raw = parseJsonWithBigTimes(text);
  return traceFromJson(raw);
}

/** Reads `{info, data}` as written by traceToJson, MLflow's SDKs, or JSON.parse of either. */
export function traceFromJson(raw: any): TraceEntity {
  return new TraceEntity(traceInfoFromJson(raw.info), new TraceDataEntity((raw.data?.spans ?? []).map(spanFromJson)));
}
