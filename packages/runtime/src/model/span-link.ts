/**
 * A link from a span to a span it is related to but not nested under (OTel span links; MLflow's
 * `SpanLink`, libs/typescript/core/src/core/entities/span_link.ts). Serialized as MLflow's
 * Python `Link.to_dict()`: `{trace_id, span_id, attributes}` with attributes null when empty.
 */
export interface SpanLinkParams {
  /** MLflow trace id (`tr-…`) or the 32-hex OTel trace id of the linked span. */
  traceId: string;
  /** 16-hex span id of the linked span. */
  spanId: string;
  attributes?: Record<string, unknown>;
}

export interface SerializedSpanLink {
  trace_id: string;
  span_id: string;
  attributes?: Record<string, unknown> | null;
}

export class SpanLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Record<string, unknown>;

  constructor(params: SpanLinkParams) {
    if (!params || typeof params.traceId !== 'string' || params.traceId === '') {
      throw new TypeError(`SpanLink: traceId must be a non-empty string, got ${describe(params?.traceId)}`);
    }
    if (typeof params.spanId !== 'string' || params.spanId === '') {
      throw new TypeError(`SpanLink: spanId must be a non-empty string, got ${describe(params.spanId)}`);
    }
    if (params.attributes !== undefined && (params.attributes === null || typeof params.attributes !== 'object')) {
      throw new TypeError(`SpanLink: attributes must be an object, got ${describe(params.attributes)}`);
    }
    this.traceId = params.traceId;
    this.spanId = params.spanId;
    this.attributes = params.attributes ?? {};
  }

  toJson(): SerializedSpanLink {
    return {
      trace_id: this.traceId,
      span_id: this.spanId,
      attributes: Object.keys(this.attributes).length > 0 ? this.attributes : null,
    };
  }

  static fromJson(json: SerializedSpanLink): SpanLink {
    return new SpanLink({ traceId: json.trace_id, spanId: json.span_id, attributes: json.attributes ?? undefined });
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'string' ? JSON.stringify(value) : typeof value;
}
