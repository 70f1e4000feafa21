import { TraceMetadataKey, type TraceState } from './constants.js';
// json.ts builds these entities and they call back into it, only from methods (see there).
import {
  parseJsonWithBigTimes,
  traceDataToJson,
  traceFromJson,
  traceInfoFromJson,
  traceInfoToJson,
  traceToJson,
  type TraceDataJson,
  type TraceInfoJson,
  type TraceJson,
} from './json.js';
import { spanFromJson } from './json.js';
import { JsonEntity } from './json-text.js';
import type { Span, TokenUsage } from './span.js';

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
  /**
   * Aggregated token usage of the trace (MLflow's `trace.info.tokenUsage`), read from the
   * `mlflow.trace.tokenUsage` metadata; null when the trace has none. Entities compute it.
   */
  readonly tokenUsage?: TokenUsage | null;
}

/** What `new TraceInfo(...)` takes: MLflow's constructor makes metadata, tags and assessments optional. */
export type TraceInfoInit = Omit<TraceInfo, 'traceMetadata' | 'tags' | 'assessments'> & Partial<Pick<TraceInfo, 'traceMetadata' | 'tags' | 'assessments'>>;

export interface TraceData {
  spans: Span[];
}

/** A complete trace: its info and its spans (root usually first; order is not significant). */
export interface Trace {
  info: TraceInfo;
  data: TraceData;
}

// ---------- entities: the objects readers hand out ----------
//
// The interfaces above are the data; anything may build them (the tracer, stores, tests).
// What getTrace / searchTraces / the in-memory destination return are these classes: the same
// fields plus MLflow's `toJson()` / static `fromJson()`, and `toJSON()` so `JSON.stringify`
// writes MLflow's trace JSON. All conversions are json.ts's; nothing here knows a field name.

/** Accepts a JSON object or its text (text keeps ns timestamps exact). */
const parsed = (json: unknown): any => (typeof json === 'string' ? parseJsonWithBigTimes(json) : json);

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface TraceInfoEntity extends TraceInfo {}
/** TraceInfo V3 with MLflow's methods; `toJson()` is the REST form (snake_case, RFC 3339 time). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class TraceInfoEntity extends JsonEntity<TraceInfoJson> {
  constructor(fields: TraceInfoInit) {
    super();
    // tokenUsage is computed from the metadata: a copied-in value would shadow it (or throw).
    const { tokenUsage: _derived, ...data } = fields;
    Object.assign(this, data);
    // MLflow's constructor makes these optional.
    this.traceMetadata ??= {};
    this.tags ??= {};
    this.assessments ??= [];
  }
  get tokenUsage(): TokenUsage | null {
    return tokenUsageOf(this.traceMetadata);
  }
  toJson(): TraceInfoJson {
    return traceInfoToJson(this);
  }
  static fromJson(json: TraceInfoJson | string): TraceInfoEntity {
    return traceInfoFromJson(parsed(json));
  }
}

/** The spans of a trace; `toJson()` is the `traces.json` body `{ spans: [v3 span dicts] }`. */
export class TraceDataEntity extends JsonEntity<TraceDataJson> implements TraceData {
  spans: Span[];
  constructor(spans: Span[] = []) {
    super();
    this.spans = spans;
  }
  toJson(): TraceDataJson {
    return traceDataToJson(this.spans);
  }
  static fromJson(json: TraceDataJson | string): TraceDataEntity {
    return new TraceDataEntity((parsed(json)?.spans ?? []).map(spanFromJson));
  }
}

/** A trace as readers return it: `toJson()` → `{ info, data }` exactly as MLflow writes it. */
export class TraceEntity extends JsonEntity<TraceJson> implements Trace {
  info: TraceInfoEntity;
  data: TraceDataEntity;
  constructor(info: TraceInfo, data: TraceData) {
    super();
    this.info = info instanceof TraceInfoEntity ? info : new TraceInfoEntity(info);
    this.data = data instanceof TraceDataEntity ? data : new TraceDataEntity(data.spans);
  }
  toJson(): TraceJson {
    return traceToJson(this);
  }
  static fromJson(json: TraceJson | string): TraceEntity {
    return traceFromJson(parsed(json));
  }
}

/**
 * MLflow's names as values: `TraceInfo.fromJson(...)`, `new TraceData(spans)`. As types,
 * `TraceInfo` / `TraceData` stay the data interfaces above, so plain objects still fit them.
 */
export const TraceInfo = TraceInfoEntity;
export const TraceData = TraceDataEntity;

/** `trace` as an entity (itself when it already is one). */
export function traceEntity(trace: Trace): TraceEntity {
  return trace instanceof TraceEntity ? trace : new TraceEntity(trace.info, trace.data);
}

/** The `mlflow.trace.tokenUsage` metadata, decoded; null when absent or not a usage record. */
export function tokenUsageOf(metadata: Readonly<Record<string, string>>): TokenUsage | null {
  const raw = metadata[TraceMetadataKey.TOKEN_USAGE];
  if (!raw) return null;
  try {
    const usage = JSON.parse(raw) as TokenUsage | null;
    return usage !== null && typeof usage === 'object' ? usage : null;
  } catch {
    return null;
  }
}

export function experimentIdOf(info: TraceInfo): string {
  return info.traceLocation.mlflowExperiment.experimentId;
}

export function rootSpanOf(trace: Trace): Span | undefined {
  return trace.data.spans.find((s) => !s.parentId);
}
