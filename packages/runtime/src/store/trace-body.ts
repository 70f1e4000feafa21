/**
 * A trace's body in the store (format version 2): MLflow's `Trace.to_json()` text with the long
 * JSON texts moved out of it — each span's attribute values and the info's two previews — then a
 * newline, then those texts one after another, unescaped:
 *
 *   {"info":{…,"preview_texts":{"request_preview":27,…}},"data":{"spans":[{…,"attribute_texts":{"mlflow.spanInputs":27,…},…},…]}}\n<texts>
 *
 * Attribute values are JSON texts (spec §3.4) — a span's inputs and outputs, most of its bytes —
 * and the previews are the root's. Written inside the JSON they are escaped a second time (every
 * quote doubled), which cost a third of the end-to-end CPU of a traced program writing to the
 * store, and unescaped again on every read. In `preview_texts` and `attribute_texts` a number is
 * the length (UTF-16 units) of that value's text in the region after the newline — previews
 * first, then attributes in span and key order; a string is the value itself, kept inside the
 * JSON when it is not well-formed UTF-16 (a lone surrogate would not survive UTF-8).
 *
 * Version 1 bodies are the plain JSON text (no newline: JSON.stringify never writes one), read
 * as before.
 */
import { jsonText, quotedOnce, setOwnValue } from '../model/json-text.js';
import { parseJsonWithBigTimes, spanFromJson, spanHeadText, spanTailText, traceFromJson, traceInfoToJson } from '../model/json.js';
import type { Span } from '../model/span.js';
import type { TraceEntity, TraceInfo } from '../model/trace.js';
import { BODY_INFO_START } from './index-record.js';

const NEWLINE = 0x0a;

const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (() => {
        const native = (String.prototype as unknown as { isWellFormed(this: string): boolean }).isWellFormed;
        return (s: string) => native.call(s);
      })()
    : (s: string) => !/[\uD800-\uDFFF]/.test(s); // any surrogate: kept inside the JSON, always exact

/**
 * `attribute_texts` of one span; the values written after the newline are added to `texts`
 * (each value is checked once: the check reads the whole text).
 */
function attributeTextsJson(attributes: Record<string, unknown>, texts: string[]): string {
  let out = '{';
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    const value = attributes[key];
    // Values are JSON texts; anything else (a hand-built span) is read back as its JSON text,
    // as a version 1 reader did. An entry inside the JSON is always a string: a number is a length.
    const text = typeof value === 'string' ? value : jsonText(value);
    let entry: string | number;
    if (isWellFormed(text)) {
      texts.push(text);
      entry = text.length;
    } else {
      entry = JSON.stringify(text);
    }
    out += `${out.length > 1 ? ',' : ''}${quotedOnce(key)}:${entry}`;
  }
  return `${out}}`;
}

const PREVIEW_KEYS = ['request_preview', 'response_preview'] as const;

/**
 * The info's JSON with its previews set apart: they become the first of `texts` (the body's text
 * region, filled on by {@link traceBodyParts}).
 */
export function traceInfoBodyText(info: TraceInfo, texts: string[]): string {
  const json = traceInfoToJson(info) as unknown as Record<string, unknown>;
  let lengths: Record<string, number> | undefined;
  for (const key of PREVIEW_KEYS) {
    const value = json[key];
    if (typeof value !== 'string' || !isWellFormed(value)) continue;
    texts.push(value);
    (lengths ??= {})[key] = value.length;
    json[key] = undefined; // left out by JSON.stringify (a delete would make the object slow)
  }
  if (lengths) json.preview_texts = lengths;
  return JSON.stringify(json);
}

/**
 * The body in pieces (the writer encodes them one by one; a large trace is never one text).
 * `texts`: what {@link traceInfoBodyText} set apart for `infoText`.
 */
export function* traceBodyParts(infoText: string, spans: readonly Span[], texts: string[]): Generator<string> {
  yield `{"info":${infoText},"data":{"spans":[`;
  // Read by index: destructuring would run the array iterator, which a program may replace.
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    yield `${i > 0 ? ',' : ''}${spanHeadText(span)}"attribute_texts":${attributeTextsJson(span.encodedAttributes, texts)}${spanTailText(span)}`;
  }
  yield ']}}\n';
  for (let i = 0; i < texts.length; i++) yield texts[i]!;
}

/**
 * Puts the texts `lengths` (an `attribute_texts` / `preview_texts` object, named `what` in the
 * errors) names back into `target`, read from `texts` at `at`; returns where the next begins.
 */
function restoreTexts(what: string, lengths: unknown, target: Record<string, unknown>, texts: string, at: number): number {
  if (typeof lengths !== 'object' || lengths === null) throw new Error(`its ${what} are missing`);
  for (const key of Object.keys(lengths)) {
    const entry = (lengths as Record<string, unknown>)[key];
    let value = entry;
    if (typeof entry === 'number') {
      if (!Number.isInteger(entry) || entry < 0 || at + entry > texts.length) throw new Error(`its ${what} are cut short`);
      value = texts.slice(at, at + entry);
      at += entry;
    }
    // `__proto__` is an attribute key like any other (JSON.parse makes it an own property too).
    setOwnValue(target, key, value);
  }
  return at;
}

/** The info JSON of a version 2 body, its previews back in place; `texts` from the region's start. */
function restoreInfo(info: any, texts: string): number {
  if (info?.preview_texts === undefined) return 0;
  const at = restoreTexts('preview texts', info.preview_texts, info, texts, 0);
  delete info.preview_texts;
  return at;
}

/** `{info, data}` of a body, previews and every span's `attributes` in place (what `traceFromJson` reads). */
function parseBody(payload: Buffer): any {
  const newline = payload.indexOf(NEWLINE);
  if (newline < 0) return parseJsonWithBigTimes(payload.toString('utf8'));
  const raw = parseJsonWithBigTimes(payload.toString('utf8', 0, newline));
  const texts = payload.toString('utf8', newline + 1);
  let at = restoreInfo(raw?.info, texts);
  const spans: unknown = raw?.data?.spans;
  if (!Array.isArray(spans)) throw new Error('its spans are not a list');
  for (const span of spans) {
    const attributes: Record<string, unknown> = {};
    at = restoreTexts('attribute texts', span?.attribute_texts, attributes, texts, at);
    span.attributes = attributes;
    delete span.attribute_texts;
  }
  if (at !== texts.length) throw new Error('its attribute texts do not add up');
  return raw;
}

/**
 * The info JSON alone (`infoBytes` long, from the index): what a search that needs no spans
 * parses. Only the previews are decoded from the text region, which may hold megabytes of spans'
 * texts: a UTF-16 unit takes at most 3 bytes of UTF-8.
 */
export function infoJsonFromBody(payload: Buffer, infoBytes: number): any {
  const infoEnd = BODY_INFO_START + infoBytes;
  const info = JSON.parse(payload.toString('utf8', BODY_INFO_START, infoEnd));
  if (info?.preview_texts === undefined) return info;
  let units = 0;
  for (const key of Object.keys(info.preview_texts)) {
    const n = info.preview_texts[key];
    if (typeof n === 'number') units += n;
  }
  const newline = payload.indexOf(NEWLINE, infoEnd);
  if (newline < 0) throw new Error('its text region is missing');
  restoreInfo(info, payload.toString('utf8', newline + 1, Math.min(payload.length, newline + 1 + 3 * units)));
  return info;
}

export function traceFromBody(payload: Buffer): TraceEntity {
  return traceFromJson(parseBody(payload));
}

export function spansFromBody(payload: Buffer): Span[] {
  return (parseBody(payload).data?.spans ?? []).map(spanFromJson);
}
