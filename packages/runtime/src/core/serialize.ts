/**
 * Turns any JavaScript value into JSON text for span inputs/outputs/attributes.
 *
 * Contract: never throws, never hangs, bounded output. Cycles, BigInt, Map/Set, Date, Error,
 * binary data, class instances, functions, symbols, throwing getters and hostile Proxies all
 * produce readable JSON. Output is written in one pass (no intermediate tree) because this
 * runs on every traced call.
 */
import { reportInternalError } from './diagnostics.js';

export interface SerializeLimits {
  /** Maximum characters of JSON produced; longer output becomes a truncated string. */
  maxChars: number;
  /** Maximum nesting depth. */
  maxDepth?: number;
  /** Maximum number of values visited (guards huge arrays/objects). */
  maxNodes?: number;
}

const DEFAULT_DEPTH = 24;
const DEFAULT_NODES = 20_000;
export const TRUNCATION_MARKER = '...[truncated by tracewright: ';

class Writer {
  out = '';
  nodes = 0;
  readonly stack: object[] = [];
  constructor(
    readonly maxChars: number,
    readonly maxDepth: number,
    readonly maxNodes: number,
  ) {}
  get full(): boolean {
    return this.out.length > this.maxChars || this.nodes > this.maxNodes;
  }
}

function str(w: Writer, s: string): void {
  // Cap each string well before JSON escaping so one huge string cannot allocate unboundedly.
  w.out += JSON.stringify(s.length > w.maxChars ? s.slice(0, w.maxChars) : s);
}

function writeValue(w: Writer, value: unknown, depth: number): void {
  w.nodes++;
  switch (typeof value) {
    case 'string':
      str(w, value);
      return;
    case 'number':
      w.out += Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
      return;
    case 'boolean':
      w.out += value ? 'true' : 'false';
      return;
    case 'undefined':
      w.out += 'null';
      return;
    case 'bigint':
      str(w, value.toString());
      return;
    case 'symbol':
      str(w, value.toString());
      return;
    case 'function':
      str(w, `[Function${value.name ? ' ' + value.name : ''}]`);
      return;
  }
  if (value === null) {
    w.out += 'null';
    return;
  }
  writeObject(w, value as object, depth);
}

function writeObject(w: Writer, obj: object, depth: number): void {
  if (w.stack.includes(obj)) return str(w, '[Circular]');
  if (depth >= w.maxDepth) return str(w, '[Max depth]');
  w.stack.push(obj);
  const mark = w.out.length;
  try {
    writeObjectBody(w, obj, depth);
  } catch (error) {
    // A Proxy trap or exotic object failed as a whole: drop its partial output, describe it.
    w.out = w.out.slice(0, mark);
    str(w, `[Unserializable: ${errorText(error)}]`);
  } finally {
    w.stack.pop();
  }
}

function errorText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'unknown error';
  }
}

function writeArrayLike(w: Writer, items: Iterable<unknown> | ArrayLike<unknown>, depth: number, length: number): void {
  w.out += '[';
  let i = 0;
  const iterate = Symbol.iterator in (items as object) ? (items as Iterable<unknown>) : Array.from(items as ArrayLike<unknown>);
  for (const item of iterate) {
    if (i > 0) w.out += ',';
    if (w.full) {
      str(w, `[${length - i} more items]`);
      break;
    }
    writeValue(w, item, depth + 1);
    i++;
  }
  w.out += ']';
}

/**
 * Writes `{"key":value,...}`. `read` fetches one value and may throw (getters, proxies): that
 * property alone becomes a marker. Hot path for plain objects, so one closure per object.
 */
function writeFields(w: Writer, keys: readonly string[], read: (key: string, index: number) => unknown, depth: number): void {
  w.out += '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (i > 0) w.out += ',';
    str(w, key);
    w.out += ':';
    if (w.full) {
      str(w, '[truncated]');
      break;
    }
    let v: unknown;
    try {
      v = read(key, i);
    } catch (error) {
      str(w, `[Unserializable: ${errorText(error)}]`);
      continue;
    }
    writeValue(w, v, depth + 1);
  }
  w.out += '}';
}

function writeObjectBody(w: Writer, obj: object, depth: number): void {
  const proto = Object.getPrototypeOf(obj);
  if ((proto === Object.prototype || proto === null) && typeof (obj as { toJSON?: unknown }).toJSON !== 'function') {
    return writeFields(w, Object.keys(obj), (k) => (obj as Record<string, unknown>)[k], depth);
  }
  if (Array.isArray(obj)) return writeArrayLike(w, obj, depth, obj.length);
  if (obj instanceof Date) return str(w, Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString());
  if (obj instanceof Error) return writeError(w, obj, depth);
  if (obj instanceof Map) {
    const keys: string[] = [];
    const values: unknown[] = [];
    for (const [k, v] of obj) {
      keys.push(typeof k === 'string' ? k : safeString(k));
      values.push(v);
    }
    return writeFields(w, keys, (_, i) => values[i], depth);
  }
  if (obj instanceof Set) return writeArrayLike(w, obj, depth, obj.size);
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer || obj instanceof SharedArrayBuffer) {
    const name = Buffer.isBuffer(obj) ? 'Buffer' : obj.constructor?.name ?? 'ArrayBuffer';
    return str(w, `[${name} ${obj.byteLength} bytes]`);
  }
  if (obj instanceof Promise) return str(w, '[Promise]');
  if (obj instanceof WeakMap || obj instanceof WeakSet || obj instanceof WeakRef) return str(w, `[${obj.constructor.name}]`);
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const replaced = toJSON.call(obj);
    if (replaced !== obj) return writeValue(w, replaced, depth);
  }
  writeFields(w, Object.keys(obj), (k) => (obj as Record<string, unknown>)[k], depth);
}

function writeError(w: Writer, error: Error, depth: number): void {
  const keys = ['name', 'message'];
  if (error.stack) keys.push('stack');
  if ('cause' in error && error.cause !== undefined) keys.push('cause');
  for (const key of Object.keys(error)) if (!keys.includes(key)) keys.push(key);
  writeFields(w, keys, (k) => (error as unknown as Record<string, unknown>)[k], depth);
}

function safeString(v: unknown): string {
  try {
    return typeof v === 'object' && v !== null ? Object.prototype.toString.call(v) : String(v);
  } catch {
    return '[unprintable key]';
  }
}

/** The over-long JSON text as a JSON string with a marker, escaping included within `maxChars`. */
function truncatedString(text: string, maxChars: number): string {
  let keep = maxChars;
  for (;;) {
    const encoded = JSON.stringify(`${text.slice(0, keep)}${TRUNCATION_MARKER}${text.length - keep}+ more chars]`);
    if (encoded.length <= maxChars || keep === 0) return encoded;
    keep = Math.max(0, keep - (encoded.length - maxChars) - 8);
  }
}

/** Serializes `value` to JSON text within `limits`. Never throws. */
export function serialize(value: unknown, limits: SerializeLimits): string {
  // Fast paths for the common primitive cases.
  if (typeof value === 'string' && value.length <= limits.maxChars) return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null || value === undefined) return 'null';
  try {
    const w = new Writer(limits.maxChars, limits.maxDepth ?? DEFAULT_DEPTH, limits.maxNodes ?? DEFAULT_NODES);
    writeValue(w, value, 0);
    if (w.out.length <= limits.maxChars) return w.out;
    return truncatedString(w.out, limits.maxChars);
  } catch (error) {
    reportInternalError('serialize', error);
    return JSON.stringify('[Unserializable value]');
  }
}
