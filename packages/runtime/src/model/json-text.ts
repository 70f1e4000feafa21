/**
 * JSON writing for data that holds bigints (ns timestamps exceed 2^53 and MLflow's files keep
 * them as JSON numbers), and the `toJSON()` every entity shares. A leaf module: the entity
 * classes extend {@link JsonEntity} at load time, so it must not import the model.
 */

/**
 * JSON text with bigints written as exact integers (ns timestamps exceed 2^53, and MLflow's
 * files hold them as JSON numbers). Plain data only: objects, arrays, primitives.
 */
export function jsonText(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + jsonText(value[i]);
    return out + ']';
  }
  const keys = Object.keys(value);
  if (keys.every((key) => typeof (value as Record<string, unknown>)[key] === 'string')) return JSON.stringify(value); // attribute maps: one native call
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + jsonText(v);
    first = false;
  }
  return out + '}';
}

/**
 * `JSON.stringify(s)` for the short strings written over and over (span names and types,
 * attribute keys, status codes): each is quoted once. Bounded, as these may come from data: a
 * program with more distinct ones than the memo holds starts it over (slower, never larger).
 */
const quotedTexts = new Map<string, string>();
const QUOTED_MAX_ENTRIES = 4096;
const QUOTED_MAX_CHARS = 256;
const stringify = JSON.stringify;

export function quotedOnce(s: string): string {
  let quoted = quotedTexts.get(s);
  if (quoted === undefined) {
    quoted = stringify(s);
    if (s.length <= QUOTED_MAX_CHARS) {
      if (quotedTexts.size >= QUOTED_MAX_ENTRIES) quotedTexts.clear();
      quotedTexts.set(s, quoted);
    }
  }
  return quoted;
}

/**
 * `target[key] = value` as JSON.parse makes it: an own data property, `__proto__` included
 * (assigned, that key would set the prototype instead).
 */
export function setOwnValue(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** Captured at load: later changes to the globals cannot change what we write. */
const rawJson = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;

/**
 * The same data with every bigint made acceptable to `JSON.stringify` — what the entities'
 * `toJSON()` returns. Where `JSON.rawJSON` exists (Node ≥ 21, current browsers) the integer is
 * written exactly; on Node 20 it becomes the nearest double (within 128 ns of a ns timestamp
 * today). `jsonText` / `traceToJsonText` are exact everywhere.
 */
export function jsonCompatible(value: unknown): unknown {
  if (typeof value === 'bigint') return rawJson ? rawJson(value.toString()) : Number(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(jsonCompatible);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = jsonCompatible((value as Record<string, unknown>)[key]);
  return out;
}

/** Base of the model's entities: `toJSON()` (what `JSON.stringify` calls) delegates to `toJson()`. */
export abstract class JsonEntity<J> {
  abstract toJson(): J;
  toJSON(): unknown {
    return jsonCompatible(this.toJson());
  }
}
