/**
 * A trace's body in the store (format version 2): MLflow's `Trace.to_json()` text with each
 * span's attribute values moved out of it, then a newline, then those values one after another,
 * unescaped:
 *
 *   {"info":{…},"data":{"spans":[{…,"attribute_texts":{"mlflow.spanInputs":27,…},…},…]}}\n<texts>
 *
 * Attribute values are JSON texts (spec §3.4) — a span's inputs and outputs, most of its bytes.
 * Written inside the JSON they are escaped a second time (every quote doubled), which cost a
 * quarter of the end-to-end CPU of a traced program writing to the store, and unescaped again on
 * every read. In `attribute_texts` a number is the length (UTF-16 units) of that value's text in
 * the region after the newline, in span and key order; a string is the value itself, kept inside
 * the JSON when it is not well-formed UTF-16 (a lone surrogate would not survive UTF-8).
 *
 * Version 1 bodies are the plain JSON text (no newline: JSON.stringify never writes one), read
 * as before.
 */
import { jsonText } from '../model/json-text.js';
import { parseJsonWithBigTimes, spanFromJson, spanHeadText, spanTailText, traceFromJson } from '../model/json.js';
import type { Span } from '../model/span.js';
import type { TraceEntity } from '../model/trace.js';

const NEWLINE = 0x0a;

const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (() => {
        const native = (String.prototype as unknown as { isWellFormed(this: string): boolean }).isWellFormed;
        return (s: string) => native.call(s);
      })()
    : (s: string) => !/[\uD800-\uDFFF]/.test(s); // any surrogate: kept inside the JSON, always exact

/** Attribute keys are a few names written on every span: each is quoted once. */
const quotedKeys = new Map<string, string>();
function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    if (quotedKeys.size >= 1024) quotedKeys.clear(); // keys made from data: never a growing cache
    quoted = JSON.stringify(key);
    quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * `attribute_texts` of one span; the values written after the newline are added to `texts`
 * (each value is checked once: the check reads the whole text).
 */
function attributeTextsJson(attributes: Record<string, unknown>, texts: string[]): string {
  let out = '{';
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    const value = attributes[key];
    let entry: string | number;
    if (typeof value === 'string' && isWellFormed(value)) {
      texts.push(value);
      entry = value.length;
    } else {
      entry = jsonText(value);
    }
    out += `${out.length > 1 ? ',' : ''}${quotedKey(key)}:${entry}`;
  }
  return `${out}}`;
}

/** The body in pieces (the writer encodes them one by one; a large trace is never one text). */
export function* traceBodyParts(infoText: string, spans: readonly Span[]): Generator<string> {
  yield `{"info":${infoText},"data":{"spans":[`;
  const texts: string[] = [];
  // Read by index: destructuring would run the array iterator, which a program may replace.
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    yield `${i > 0 ? ',' : ''}${spanHeadText(span)}"attribute_texts":${attributeTextsJson(span.encodedAttributes, texts)}${spanTailText(span)}`;
  }
  yield ']}}\n';
  for (let i = 0; i < texts.length; i++) yield texts[i]!;
}

/** `{info, data}` of a body, every span's `attributes` in place (what `traceFromJson` reads). */
function parseBody(payload: Buffer): any {
  const newline = payload.indexOf(NEWLINE);
  if (newline < 0) return parseJsonWithBigTimes(payload.toString('utf8'));
  const raw = parseJsonWithBigTimes(payload.toString('utf8', 0, newline));
  const texts = payload.toString('utf8', newline + 1);
  let at = 0;
  const spans: unknown = raw?.data?.spans;
  if (!Array.isArray(spans)) throw new Error('its spans are not a list');
  for (const span of spans) {
    const lengths: unknown = span?.attribute_texts;
    if (typeof lengths !== 'object' || lengths === null) throw new Error('a span has no attribute texts');
    const attributes: Record<string, unknown> = {};
    for (const key of Object.keys(lengths)) {
      const entry = (lengths as Record<string, unknown>)[key];
      let value = entry;
      if (typeof entry === 'number') {
        if (!Number.isInteger(entry) || entry < 0 || at + entry > texts.length) throw new Error('its attribute texts are cut short');
        value = texts.slice(at, at + entry);
        at += entry;
      }
      // `__proto__` is an attribute key like any other (JSON.parse makes it an own property too).
      if (key === '__proto__') Object.defineProperty(attributes, key, { value, writable: true, enumerable: true, configurable: true });
      else attributes[key] = value;
    }
    span.attributes = attributes;
    delete span.attribute_texts;
  }
  if (at !== texts.length) throw new Error('its attribute texts do not add up');
  return raw;
}

export function traceFromBody(payload: Buffer): TraceEntity {
  return traceFromJson(parseBody(payload));
}

export function spansFromBody(payload: Buffer): Span[] {
  return (parseBody(payload).data?.spans ?? []).map(spanFromJson);
}
