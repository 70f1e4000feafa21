import { SpanLink } from './span-link.js';
import { SpanAttributeKey, SpanLogLevel, SpanType } from './constants.js';
// json.ts constructs Spans and Span's methods call json.ts: used only inside methods, so the
// import cycle is harmless in ESM and CJS.
import { parseJsonWithBigTimes, spanFromJson, spanToJson, type SpanJson } from './json.js';
import { JsonEntity } from './json-text.js';
import type { SpanStatus } from './span-status.js';

export { SpanStatus } from './span-status.js';

/** OTel's HrTime, as MLflow's `span.startTime` / `span.endTime` give it: `[seconds, nanoseconds]`. */
export type HrTime = [number, number];

/** ns since the epoch → `[seconds, nanoseconds]` (exact: split in bigint arithmetic). */
export function nsToHrTime(ns: bigint): HrTime {
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

/** Event attribute values are plain OTel primitives (not JSON-encoded). */
export type EventAttributeValue = string | number | boolean | readonly string[] | readonly number[] | readonly boolean[];

export interface SpanEvent {
  readonly name: string;
  /** Nanoseconds since the epoch (MLflow's `SpanEvent.timestamp`). */
  readonly timestamp: bigint;
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
   * Attribute values in MLflow's wire/storage form: every value is a JSON-encoded string
   * (`"LLM"` is stored as `"\"LLM\""`), see spec §3.4. Encoding happens once, when set;
   * `span.attributes` is the decoded view.
   */
  encodedAttributes: Record<string, string>;
  events: SpanEvent[];
  /** Links to related spans (OTel span links); absent or empty when there are none. */
  links?: SpanLink[];
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
/** Every Span has its links array (possibly empty), unlike the fields it is built from. */
export interface Span extends Omit<SpanFields, 'links'> {
  links: SpanLink[];
}
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
    this.encodedAttributes = fields.encodedAttributes;
    this.events = fields.events;
    this.links = fields.links ?? [];
  }

  get spanType(): SpanType {
    return (decodeAttribute(this.encodedAttributes[SpanAttributeKey.SPAN_TYPE]) as SpanType | undefined) ?? SpanType.UNKNOWN;
  }
  get inputs(): any {
    return decodeAttribute(this.encodedAttributes[SpanAttributeKey.INPUTS]);
  }
  get outputs(): any {
    return decodeAttribute(this.encodedAttributes[SpanAttributeKey.OUTPUTS]);
  }
  /** MLflow's `[seconds, nanoseconds]` start time. */
  get startTime(): HrTime {
    return nsToHrTime(this.startTimeUnixNano);
  }
  /** MLflow's `[seconds, nanoseconds]` end time; null while the span is open. */
  get endTime(): HrTime | null {
    return this.endTimeUnixNano === null ? null : nsToHrTime(this.endTimeUnixNano);
  }
  /** True once the span has an end time (a live span: once it was ended). */
  get isEnded(): boolean {
    return this.endTimeUnixNano !== null;
  }
  /** Start time in milliseconds since the epoch (fractional). */
  get startTimeMs(): number {
    return Number(this.startTimeUnixNano) / 1e6;
  }
  /** Duration in milliseconds, or null while the span is open. */
  get durationMs(): number | null {
    return this.endTimeUnixNano === null ? null : Number(this.endTimeUnixNano - this.startTimeUnixNano) / 1e6;
  }
  getAttribute(key: string): any {
    return decodeAttribute(this.encodedAttributes[key]);
  }
  /**
   * All attributes, decoded. A fresh object each time (the span keeps the encoded form), typed
   * readonly so code that means to set one is pointed at setAttribute / encodedAttributes.
   */
  get attributes(): Readonly<Record<string, any>> {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(this.encodedAttributes)) out[key] = decodeAttribute(this.encodedAttributes[key]);
    return out;
  }
  /** `mlflow.spanLogLevel`, or null when the span was not classified (spans of older traces). */
  get logLevel(): SpanLogLevel | null {
    const level = decodeAttribute(this.encodedAttributes[SpanAttributeKey.LOG_LEVEL]);
    return typeof level === 'number' ? (level as SpanLogLevel) : null;
  }
  get tokenUsage(): TokenUsage | undefined {
    return decodeAttribute(this.encodedAttributes[SpanAttributeKey.TOKEN_USAGE]) as TokenUsage | undefined;
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
