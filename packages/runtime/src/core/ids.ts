import { TRACE_ID_PREFIX } from '../model/constants.js';
import { bytesToHex, utf8Decode } from '../platform/bytes.js';

// Every id is made from pooled crypto randomness: one native call per pool of ids instead of
// one per id, and no Math.random (ids must not collide across processes that write one store).
// Other ids (assessments) are cut from this pooled hex string.
const POOL_BYTES = 16 * 1024;
const pool = new Uint8Array(POOL_BYTES);
// Web Crypto: global on Node >= 19, Bun, Deno and every edge runtime. Taken at load, bound: a
// test that spies on or mocks `crypto.getRandomValues` (deterministic ids of its own) must
// neither see the tracer's calls nor feed it its values.
const webCrypto = globalThis.crypto;
const getRandomValues = webCrypto.getRandomValues.bind(webCrypto) as <T extends ArrayBufferView>(array: T) => T;
let poolHex = '';
let offset = POOL_BYTES * 2;

export function randomHex(chars: number): string {
  if (offset + chars > poolHex.length) {
    getRandomValues(pool);
    poolHex = bytesToHex(pool);
    offset = 0;
  }
  const hex = poolHex.slice(offset, offset + chars);
  offset += chars;
  return hex;
}

const ZERO_SPAN = '0'.repeat(16);

const HEX_CODES = new Uint8Array([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
const fromCharCode = String.fromCharCode;

/** Writes `bytes` as lowercase hex character codes into `out`, from `at`. */
function writeHexCodes(bytes: Uint8Array, from: number, to: number, out: Uint8Array, at: number): void {
  for (let i = from; i < to; i++) {
    const byte = bytes[i]!;
    out[at++] = HEX_CODES[byte >> 4]!;
    out[at++] = HEX_CODES[byte & 15]!;
  }
}

// Every span carries its trace id twice: as `traceId` and JSON-encoded as the
// `mlflow.traceRequestId` attribute. Both are cut from one pooled string of `"tr-<32 hex>"`
// entries (a flat string of its own per id costs ~50 ns more to make): a trace holds its slice
// of the pool and, while in progress, a second slice for the id (an exported trace's spans read
// their id back from the attribute). The pool is written as character codes and decoded in one
// native call (joining its 4,096 pieces cost ~70 ns per id).
const TRACE_IDS_PER_POOL = 1024;
const ENCODED_TRACE_ID_CHARS = 2 + TRACE_ID_PREFIX.length + 32;
// Apart from the span ids' pool, which every held span id keeps alive.
const traceIdBytes = new Uint8Array(16 * TRACE_IDS_PER_POOL);
const traceIdCodes = new Uint8Array(ENCODED_TRACE_ID_CHARS * TRACE_IDS_PER_POOL);
for (let i = 0; i < TRACE_IDS_PER_POOL; i++) {
  const at = i * ENCODED_TRACE_ID_CHARS;
  traceIdCodes[at] = traceIdCodes[at + ENCODED_TRACE_ID_CHARS - 1] = 34; // "
  for (let j = 0; j < TRACE_ID_PREFIX.length; j++) traceIdCodes[at + 1 + j] = TRACE_ID_PREFIX.charCodeAt(j);
}
let traceIdPool = '';
let traceIdOffset = 0;
let lastTraceId = '';
let lastEncodedTraceId = '';

function refillTraceIds(): void {
  getRandomValues(traceIdBytes);
  for (let i = 0; i < TRACE_IDS_PER_POOL; i++) {
    const from = i * 16;
    // An all-zero OTel trace id is invalid: drawn again (about never).
    while (isZero(traceIdBytes, from, from + 16)) getRandomValues(traceIdBytes.subarray(from, from + 16));
    writeHexCodes(traceIdBytes, from, from + 16, traceIdCodes, i * ENCODED_TRACE_ID_CHARS + 1 + TRACE_ID_PREFIX.length);
  }
  traceIdPool = utf8Decode(traceIdCodes);
  traceIdOffset = 0;
}

function isZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** A new MLflow trace id: `tr-` + 32 hex chars (a valid, non-zero OTel trace id). */
export function newTraceId(): string {
  if (traceIdOffset === traceIdPool.length) refillTraceIds();
  lastEncodedTraceId = traceIdPool.slice(traceIdOffset, traceIdOffset + ENCODED_TRACE_ID_CHARS);
  lastTraceId = traceIdPool.slice(traceIdOffset + 1, traceIdOffset + ENCODED_TRACE_ID_CHARS - 1);
  traceIdOffset += ENCODED_TRACE_ID_CHARS;
  return lastTraceId;
}

/** `JSON.stringify(traceId)`; for the id {@link newTraceId} just made, its pooled slice. */
export function encodedTraceId(traceId: string): string {
  return traceId === lastTraceId ? lastEncodedTraceId : JSON.stringify(traceId);
}

// Span ids are made from a pool of hex character codes, one flat 16-char string each: a slice of
// a pooled string would cost as much to hold and would keep the whole pool alive with it.
const SPAN_IDS_PER_POOL = 1024;
const spanIdBytes = new Uint8Array(8 * SPAN_IDS_PER_POOL);
const spanIdCodes = new Uint8Array(16 * SPAN_IDS_PER_POOL);
let spanIdOffset = spanIdCodes.length;

function refillSpanIds(): void {
  getRandomValues(spanIdBytes);
  writeHexCodes(spanIdBytes, 0, spanIdBytes.length, spanIdCodes, 0);
  spanIdOffset = 0;
}

/** A new span id: 16 hex chars. */
export function newSpanId(): string {
  if (spanIdOffset === spanIdCodes.length) refillSpanIds();
  const c = spanIdCodes;
  const o = spanIdOffset;
  spanIdOffset = o + 16;
  // prettier-ignore
  const hex = fromCharCode(c[o]!, c[o + 1]!, c[o + 2]!, c[o + 3]!, c[o + 4]!, c[o + 5]!, c[o + 6]!, c[o + 7]!,
    c[o + 8]!, c[o + 9]!, c[o + 10]!, c[o + 11]!, c[o + 12]!, c[o + 13]!, c[o + 14]!, c[o + 15]!);
  return hex === ZERO_SPAN ? newSpanId() : hex;
}
