import { randomFillSync } from 'node:crypto';
import { TRACE_ID_PREFIX } from '../model/constants.js';

// Ids come from a pooled buffer of crypto randomness: one syscall per 256 ids instead of one
// per span, and no Math.random (ids must not collide across processes writing one store).
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

function randomHex(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

/** A new MLflow trace id: `tr-` + 32 hex chars (a valid, non-zero OTel trace id). */
export function newTraceId(): string {
  let hex = randomHex(16);
  if (hex === '00000000000000000000000000000000') hex = randomHex(16);
  return TRACE_ID_PREFIX + hex;
}

/** A new span id: 16 hex chars. */
export function newSpanId(): string {
  let hex = randomHex(8);
  if (hex === '0000000000000000') hex = randomHex(8);
  return hex;
}
