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

/** A new MLflow trace id: `tr-` + 32 hex chars (a valid, non-zero OTel trace id). */
export function newTraceId(): string {
  let hex = randomHex(32);
  if (hex === ZERO_TRACE) hex = randomHex(32);
  return TRACE_ID_PREFIX + hex;
}

/** A new span id: 16 hex chars. */
export function newSpanId(): string {
  let hex = randomHex(16);
  if (hex === ZERO_SPAN) hex = randomHex(16);
  return hex;
}
