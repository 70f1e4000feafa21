import type { SpanType } from '../model/constants.js';

/** Options shared by `trace()`, `@Trace` and `// @trace`. */
export interface TraceOptions {
  /** Span name; default: the function's name. */
  name?: string;
  /** Default UNKNOWN. */
  spanType?: SpanType;
  /** Set on the span when it starts. */
  attributes?: Record<string, unknown>;
}

/**
 * Facts the build step knows and the runtime cannot recover reliably, passed by the
 * tracewright transformer as the second argument of `@Trace(...)` / third of `trace(...)`.
 */
export interface BuildInfo {
  /** One binding pattern per parameter, e.g. ["query", "{ k = 3 }", "...rest"]. */
  params?: readonly string[];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(String(value))}`;
}

/** Validates and normalizes `SpanType | TraceOptions | undefined`. Throws a TypeError naming the bad field. */
export function normalizeTraceOptions(where: string, options: unknown): TraceOptions {
  if (options === undefined || options === null) return {};
  if (typeof options === 'string') {
    if (!options) throw new TypeError(`${where}: span type must be a non-empty string`);
    return { spanType: options };
  }
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: expected a span type string or an options object { name?, spanType?, attributes? }, got ${describe(options)}`);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== 'name' && key !== 'spanType' && key !== 'attributes') {
      throw new TypeError(`${where}: unknown option "${key}" (expected name, spanType, attributes)`);
    }
  }
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name === '')) {
    throw new TypeError(`${where}: option "name" must be a non-empty string, got ${describe(o.name)}`);
  }
  if (o.spanType !== undefined && (typeof o.spanType !== 'string' || o.spanType === '')) {
    throw new TypeError(`${where}: option "spanType" must be a span type string such as "LLM" or SpanType.TOOL, got ${describe(o.spanType)}`);
  }
  if (o.attributes !== undefined && (o.attributes === null || typeof o.attributes !== 'object' || Array.isArray(o.attributes))) {
    throw new TypeError(`${where}: option "attributes" must be an object, got ${describe(o.attributes)}`);
  }
  return o as TraceOptions;
}

export function validateBuildInfo(where: string, build: unknown): BuildInfo | undefined {
  if (build === undefined) return undefined;
  if (
    build === null ||
    typeof build !== 'object' ||
    ((build as BuildInfo).params !== undefined && (!Array.isArray((build as BuildInfo).params) || !(build as BuildInfo).params!.every((p) => typeof p === 'string')))
  ) {
    throw new TypeError(`${where}: build info must be { params?: string[] }, got ${describe(build)}`);
  }
  return build as BuildInfo;
}
