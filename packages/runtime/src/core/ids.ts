import { TRACE_ID_PREFIX } from '../model/constants.js';
import { bytesToHex } from '../platform/bytes.js';

// Ids are cut from a pooled hex string of crypto randomness: one native call per 2,048 ids
// instead of one per span, and no Math.random (ids must not collide across processes that
// write one store).
const POOL_BYTES = 16 * 1024;
const pool = new Uint8Array(POOL_BYTES);
// Web Crypto: global on Node >= 19, Bun, Deno and every edge runtime.
const webCrypto = globalThis.crypto;
let poolHex = '';
let offset = POOL_BYTES * 2;

export function randomHex(chars: number): string {
  if (offset + chars > poolHex.length) {
    webCrypto.getRandomValues(pool);
    poolHex = bytesToHex(pool);
    offset = 0;
  }
  const hex = poolHex.slice(offset, offset + chars);
  offset += chars;
  return hex;
}

const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

// Every span carries its trace id twice: as `traceId` and JSON-encoded as the
// `mlflow.traceRequestId` attribute. Both are cut from one pooled string of `"tr-<32 hex>"`
// entries, so a trace costs two slices of it (no concatenation, no JSON.stringify, no copy)
// for as long as it is held.
const TRACE_IDS_PER_POOL = 1024;
const ENCODED_TRACE_ID_CHARS = 2 + TRACE_ID_PREFIX.length + 32;
let traceIdPool = '';
let traceIdOffset = 0;
let lastTraceId = '';
let lastEncodedTraceId = '';

function refillTraceIds(): void {
  const parts: string[] = [];
  for (let i = 0; i < TRACE_IDS_PER_POOL; i++) {
    let hex = randomHex(32);
    if (hex === ZERO_TRACE) hex = randomHex(32);
    parts.push('"', TRACE_ID_PREFIX, hex, '"');
  }
  traceIdPool = parts.join('');
  traceIdOffset = 0;
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

/** A new span id: 16 hex chars. */
export function newSpanId(): string {
  let hex = randomHex(16);
  if (hex === ZERO_SPAN) hex = randomHex(16);
  return hex;
}
