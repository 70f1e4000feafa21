import { SpanAttributeKey, SpanStatusCode, SpanType } from './constants.js';
// json.ts constructs Spans and Span's methods call json.ts: used only inside methods, so the
// import cycle is harmless in ESM and CJS.
import { parseJsonWithBigTimes, spanFromJson, spanToJson, type SpanJson } from './json.js';
import { JsonEntity } from './json-text.js';

export interface SpanStatus {
  readonly code: SpanStatusCode;
  /** Only meaningful for ERROR, e.g. "TypeError: boom". */
  readonly message?: string;
}

/** Event attribute values are plain OTel primitives (not JSON-encoded). */
export type EventAttributeValue = string | number | boolean | readonly string[] | readonly number[] | readonly boolean[];

export interface SpanEvent {
  readonly name: string;
  /** Nanoseconds since the epoch. */
  readonly timeUnixNano: bigint;
  readonly attributes: Readonly<Record<string, EventAttributeValue>>;
}

export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

/** The fields that make up a span, as stored and exported. */
export interface SpanFields {
  /** MLflow trace id: `tr-` + 32 hex chars (the OTel trace id). */
  traceId: string;
  /** 16 lowercase hex chars. */
  spanId: string;
  /** Parent span id (16 hex chars) or null for a root span. */
  parentId: string | null;
  name: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint | null;
  status: SpanStatus;
  /**
   * Attribute values in MLflow's canonical form: every value is a JSON-encoded string
   * (`"LLM"` is stored as `"\"LLM\""`), see spec §3.4. Encoding happens once, when set.
   */
  attributes: Record<string, string>;
  events: SpanEvent[];
}

/** Decodes one attribute value; values set by foreign instrumentation may not be JSON. */
export function decodeAttribute(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * A finished (or read-back) span. {@link LiveSpan} extends it with the mutators; spans read
 * from a store or a server are plain `Span`s. Decoded views are computed on demand so the
 * hot path only ever stores encoded strings.
 */
// The class's data fields are exactly SpanFields (declaration merging keeps one list of them).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Span extends SpanFields {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Span extends JsonEntity<SpanJson> {
  constructor(fields: SpanFields) {
    super();
    this.traceId = fields.traceId;
    this.spanId = fields.spanId;
    this.parentId = fields.parentId;
    this.name = fields.name;
    this.startTimeUnixNano = fields.startTimeUnixNano;
    this.endTimeUnixNano = fields.endTimeUnixNano;
    this.status = fields.status;
    this.attributes = fields.attributes;
    this.events = fields.events;
  }

  get spanType(): SpanType {
    return (decodeAttribute(this.attributes[SpanAttributeKey.SPAN_TYPE]) as SpanType | undefined) ?? SpanType.UNKNOWN;
  }
  get inputs(): unknown {
    return decodeAttribute(this.attributes[SpanAttributeKey.INPUTS]);
  }
  get outputs(): unknown {
    return decodeAttribute(this.attributes[SpanAttributeKey.OUTPUTS]);
  }
  /** Start time in milliseconds since the epoch (fractional). */
  get startTimeMs(): number {
    return Number(this.startTimeUnixNano) / 1e6;
  }
  /** Duration in milliseconds, or null while the span is open. */
  get durationMs(): number | null {
    return this.endTimeUnixNano === null ? null : Number(this.endTimeUnixNano - this.startTimeUnixNano) / 1e6;
  }
  getAttribute(key: string): unknown {
    return decodeAttribute(this.attributes[key]);
  }
  /** All attributes, decoded. */
  get decodedAttributes(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(this.attributes)) out[key] = decodeAttribute(this.attributes[key]);
    return out;
  }
  get tokenUsage(): TokenUsage | undefined {
    return decodeAttribute(this.attributes[SpanAttributeKey.TOKEN_USAGE]) as TokenUsage | undefined;
  }
  /** MLflow's v3 span dict (spec §3.2) with exact bigint ns times; see json.ts. */
  toJson(): SpanJson {
    return spanToJson(this);
  }
  /** Reads a span dict (v2, v3 or v4 layout, or its JSON text) back into a Span. */
  static fromJson(json: SpanJson | string): Span {
    return spanFromJson(typeof json === 'string' ? parseJsonWithBigTimes(json) : json);
  }
}
