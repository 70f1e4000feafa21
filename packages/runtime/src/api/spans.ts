import { isNsTime, LiveSpan, NO_OP_SPAN, toNs } from '../core/live-span.js';
import { runtimeState } from '../core/state.js';
import { beginSpan, traceCall, type SpanInit } from '../core/tracer.js';
import { DEFAULT_SPAN_NAME, type SpanType } from '../model/constants.js';

export interface SpanOptions {
  /** Default {@link DEFAULT_SPAN_NAME} (`'span'`). */
  name?: string;
  spanType?: SpanType;
  inputs?: unknown;
  attributes?: Record<string, unknown>;
  /** Explicit parent span; default: the active span. */
  parent?: LiveSpan;
  /** Start time in ns since the epoch (number as MLflow takes it, or an exact bigint). */
  startTimeNs?: number | bigint;
}

function validate(where: string, options: unknown): SpanOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: expected an options object { name?, spanType?, inputs?, attributes?, parent?, startTimeNs? }`);
  }
  const o = options as SpanOptions;
  if (o.name !== undefined && (typeof o.name !== 'string' || o.name === '')) throw new TypeError(`${where}: option "name" must be a non-empty string`);
  if (o.spanType !== undefined && (typeof o.spanType !== 'string' || !o.spanType)) {
    throw new TypeError(`${where}: option "spanType" must be a span type string such as "TOOL"`);
  }
  if (o.attributes !== undefined && (o.attributes === null || typeof o.attributes !== 'object')) {
    throw new TypeError(`${where}: option "attributes" must be an object`);
  }
  if (o.parent !== undefined && !(o.parent instanceof LiveSpan)) {
    throw new TypeError(`${where}: option "parent" must be a span returned by startSpan/getCurrentActiveSpan`);
  }
  if (o.startTimeNs !== undefined && !isNsTime(o.startTimeNs)) {
    throw new TypeError(`${where}: option "startTimeNs" must be a non-negative number or bigint (nanoseconds since the epoch)`);
  }
  return o;
}

function spanInit(o: SpanOptions): SpanInit {
  return {
    name: o.name ?? DEFAULT_SPAN_NAME,
    spanType: o.spanType,
    inputs: o.inputs,
    attributes: o.attributes,
    parent: o.parent,
    startTimeUnixNano: toNs(o.startTimeNs, 'startTimeNs'),
  };
}

/**
 * Runs `callback` inside a new span that is active for its duration (sync or async). The
 * callback's return value becomes the outputs unless it set outputs itself; a throw or a
 * rejection is recorded and propagated unchanged.
 */
export function withSpan<T>(callback: (span: LiveSpan) => T, options?: SpanOptions): T {
  if (typeof callback !== 'function') throw new TypeError('withSpan(callback, options?): callback must be a function');
  const o = validate('withSpan(callback, options?)', options);
  const state = runtimeState();
  if (!state.enabled) return callback(NO_OP_SPAN);
  return traceCall(spanInit(o), callback, undefined, undefined, true);
}

/**
 * Starts a span that is NOT made active: end it yourself (`span.end()`, or `using span =
 * startSpan(...)`). Nests under `parent` or the active span; without either it starts a trace.
 */
export function startSpan(options?: SpanOptions): LiveSpan {
  return beginSpan(spanInit(validate('startSpan(options)', options)));
}
