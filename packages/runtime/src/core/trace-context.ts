/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): reading and writing the
 * `traceparent` / `tracestate` values. Pure string code (no Node APIs) so it runs in edge
 * bundles. Parsing never throws: anything that is not a valid context is `undefined`, and the
 * caller starts a fresh trace.
 */

/** A remote span context, as read from a carrier. */
export interface RemoteSpanContext {
  /** 32 lowercase hex chars, not all zero (the W3C trace-id; MLflow's id is `tr-` + this). */
  readonly traceIdHex: string;
  /** 16 lowercase hex chars, not all zero: the caller's span, parent of the spans here. */
  readonly spanId: string;
  readonly sampled: boolean;
  /** The incoming `tracestate`, canonicalised, or undefined when absent or invalid. */
  readonly traceState: string | undefined;
}

/** A `traceparent` longer than this is not a header any tracer wrote (version 00 is 55). */
const MAX_TRACEPARENT_CHARS = 512;
/** A `tracestate` larger than this (or with more list members) is hostile: the whole context is refused. */
export const MAX_TRACESTATE_CHARS = 8192;
const MAX_TRACESTATE_MEMBERS = 32;
/** What we propagate at most (the size W3C asks every tracer to pass on). */
const PROPAGATED_TRACESTATE_CHARS = 512;

const HEX = /^[0-9a-f]+$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);
const TRACESTATE_KEY = /^(?:[a-z][_0-9a-z\-*/]{0,255}|[a-z0-9][_0-9a-z\-*/]{0,240}@[a-z][_0-9a-z\-*/]{0,13})$/;
// printable ASCII except ',' and '='; must not end with a space
const TRACESTATE_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

function trimOws(value: string): string {
  return value.replace(/^[ \t]+|[ \t]+$/g, '');
}

/**
 * Parses a `traceparent` value. Version 00 must be exactly 55 chars; a later version may
 * carry more fields after the first four (read as version 00, as the spec asks); `ff`,
 * upper-case hex, all-zero ids or a bad length are invalid.
 */
export function parseTraceparent(raw: string): { traceIdHex: string; spanId: string; sampled: boolean } | undefined {
  if (raw.length > MAX_TRACEPARENT_CHARS) return undefined;
  const value = trimOws(raw);
  if (value.length < 55) return undefined;
  const version = value.slice(0, 2);
  if (!HEX.test(version) || version === 'ff') return undefined;
  if (version === '00' ? value.length !== 55 : value.length > 55 && value[55] !== '-') return undefined;
  if (value[2] !== '-' || value[35] !== '-' || value[52] !== '-') return undefined;
  const traceIdHex = value.slice(3, 35);
  const spanId = value.slice(36, 52);
  const flags = value.slice(53, 55);
  if (!HEX.test(traceIdHex) || !HEX.test(spanId) || !HEX.test(flags)) return undefined;
  if (traceIdHex === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceIdHex, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

/**
 * Canonicalises a `tracestate` value: `null` when it is hostile (too large, too many
 * members: the caller refuses the whole context), undefined when empty or malformed (dropped,
 * the traceparent still counts, as the spec allows).
 */
export function parseTracestate(raw: string): string | undefined | null {
  if (raw.length > MAX_TRACESTATE_CHARS) return null;
  const members: string[] = [];
  const keys = new Set<string>();
  for (const part of raw.split(',')) {
    const member = trimOws(part);
    if (member === '') continue;
    if (members.length === MAX_TRACESTATE_MEMBERS) return null;
    const eq = member.indexOf('=');
    if (eq <= 0) return undefined;
    const key = member.slice(0, eq);
    if (!TRACESTATE_KEY.test(key) || !TRACESTATE_VALUE.test(member.slice(eq + 1)) || keys.has(key)) return undefined;
    keys.add(key);
    members.push(member);
  }
  return members.length === 0 ? undefined : members.join(',');
}

/** Shortens a tracestate for propagation: members over 128 chars go first, then from the end. */
export function tracestateForPropagation(traceState: string): string {
  if (traceState.length <= PROPAGATED_TRACESTATE_CHARS) return traceState;
  let members = traceState.split(',');
  const size = () => members.join(',').length;
  if (size() > PROPAGATED_TRACESTATE_CHARS) members = members.filter((m) => m.length <= 128);
  while (members.length > 0 && size() > PROPAGATED_TRACESTATE_CHARS) members.pop();
  return members.join(',');
}

export function formatTraceparent(traceIdHex: string, spanId: string, sampled: boolean): string {
  return `00-${traceIdHex}-${spanId}-${sampled ? '01' : '00'}`;
}

/** A carrier's value for `name` as one string: arrays (repeated headers) joined, bytes decoded. */
type CarrierValue = string | undefined;

let latin1: TextDecoder | undefined;

function asText(value: unknown): CarrierValue {
  if (typeof value === 'string') return value;
  // Kafka (kafkajs) header values are Buffers.
  if (value instanceof Uint8Array) return (latin1 ??= new TextDecoder('latin1')).decode(value);
  return undefined;
}

/**
 * Reads header `name` (lower case) from a carrier: a `Headers`-like object with `get()`, or a
 * plain object (Node's IncomingHttpHeaders, message headers, `process.env`) matched case-
 * insensitively. Repeated values: all equal count as one (proxies duplicate headers), different
 * ones are joined with ',' — which no valid traceparent contains.
 */
export function readCarrier(carrier: unknown, name: string): CarrierValue {
  if (carrier === null || (typeof carrier !== 'object' && typeof carrier !== 'function')) return undefined;
  const c = carrier as Record<string, unknown> & { get?: unknown };
  let raw: unknown;
  if (typeof c.get === 'function' && !(carrier instanceof Map)) {
    raw = (c.get as (n: string) => unknown).call(carrier, name);
  } else if (carrier instanceof Map) {
    raw = carrier.get(name) ?? findKey(carrier.keys(), name, (k) => carrier.get(k));
  } else {
    raw = Object.prototype.hasOwnProperty.call(c, name) ? c[name] : findKey(Object.keys(c), name, (k) => c[k]);
  }
  if (Array.isArray(raw)) {
    const texts = raw.slice(0, MAX_TRACESTATE_MEMBERS + 1).map(asText);
    if (texts.some((t) => t === undefined)) return undefined;
    return name === 'traceparent' && texts.every((t) => t === texts[0]) ? texts[0] : texts.join(',');
  }
  return raw == null ? undefined : asText(raw);
}

function findKey(keys: Iterable<unknown>, name: string, get: (key: string) => unknown): unknown {
  let n = 0;
  for (const key of keys) {
    // A carrier with this many keys is not a header map: stop looking rather than scan it all.
    if (++n > 1000) return undefined;
    if (typeof key === 'string' && key.length === name.length && key.toLowerCase() === name) return get(key);
  }
  return undefined;
}

/** Reads a remote span context from a carrier; undefined when missing, malformed or hostile. Never throws. */
export function extractSpanContext(carrier: unknown): RemoteSpanContext | undefined {
  try {
    const parent = readCarrier(carrier, 'traceparent');
    const parsed = parent === undefined ? undefined : parseTraceparent(parent);
    if (!parsed) return undefined;
    const state = readCarrier(carrier, 'tracestate');
    const traceState = state === undefined ? undefined : parseTracestate(state);
    if (traceState === null) return undefined;
    return { ...parsed, traceState };
  } catch {
    // A hostile carrier (throwing getter, revoked proxy): no context.
    return undefined;
  }
}

/** Writes `traceparent` (and `tracestate`) into a carrier: `set()` when it has one, else properties. */
export function writeCarrier(carrier: object, headers: Record<string, string>): void {
  const c = carrier as Record<string, unknown> & { set?: unknown };
  for (const [name, value] of Object.entries(headers)) {
    if (typeof c.set === 'function') (c.set as (n: string, v: string) => void).call(carrier, name, value);
    else c[name] = value;
  }
}
