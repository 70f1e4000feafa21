/**
 * Record framing for the store's append-only files: `magic(4) | length(4) | crc32(4) | payload`.
 * A process killed mid-write leaves at most a partial frame at the tail; the magic word and
 * checksum let a reader tell a complete record from a torn one, and resynchronise on the next
 * valid frame if a hole was ever left in the middle (a write that failed part-way).
 */
import * as zlib from 'node:zlib';
import { flattened } from '../platform/flat-string.js';

const MAGIC = 0x54575231; // "TWR1"
export const FRAME_HEADER_BYTES = 12;
/** Refuse absurd lengths read from a damaged header instead of allocating them. */
const MAX_FRAME_BYTES = 1 << 30;

const crc32: (data: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (data) => (zlib as unknown as { crc32(d: Uint8Array): number }).crc32(data)
    : tableCrc32;

let table: Uint32Array | undefined;
function tableCrc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function encodeFrame(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32LE(MAGIC, 0);
  frame.writeUInt32LE(payload.length, 4);
  frame.writeUInt32LE(crc32(payload), 8);
  payload.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/**
 * Texts longer than this (UTF-16 units) are measured before room is made for them; shorter ones
 * get the UTF-8 worst case (3 bytes per unit), so one big trace never reserves three times its size.
 */
const LARGE_TEXT = 64 * 1024;

/**
 * Frames appended straight into one growing buffer: a batch of traces costs one allocation
 * instead of one per frame plus a concatenation (this is the writer's hot path).
 */
export class FrameBatch {
  private buf: Buffer;
  length = 0;
  /** A buffer handed out by `take()` and given back once written: the next batch fills it. */
  private spare: Buffer | undefined;

  constructor(private readonly initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Appends `text` as one frame; returns the frame's length in bytes. */
  appendText(text: string): number {
    return this.appendParts([text]);
  }

  /**
   * Appends the concatenation of `parts` as one frame, writing each part as it comes: a large
   * trace is never one string (nor a flattened copy of one) besides its bytes in the batch. If
   * producing a part throws, the batch is left as it was.
   */
  appendParts(parts: Iterable<string>): number {
    this.ensure(FRAME_HEADER_BYTES);
    const at = this.length;
    let end = at + FRAME_HEADER_BYTES;
    try {
      for (const piece of parts) {
        const part = flattened(piece);
        this.length = end; // what ensure() keeps when it grows the buffer
        this.ensure(part.length > LARGE_TEXT ? Buffer.byteLength(part, 'utf8') : part.length * 3);
        end += this.buf.write(part, end, 'utf8');
      }
    } catch (error) {
      // A part that cannot be made: nothing of this frame is in the batch.
      this.length = at;
      throw error;
    }
    const n = end - at - FRAME_HEADER_BYTES;
    this.buf.writeUInt32LE(MAGIC, at);
    this.buf.writeUInt32LE(n, at + 4);
    this.buf.writeUInt32LE(crc32(this.buf.subarray(at + FRAME_HEADER_BYTES, end)), at + 8);
    this.length = end;
    return end - at;
  }

  /** The frames so far; the batch starts over with a fresh buffer (the old one may be in flight). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length);
    this.buf = this.spare ?? Buffer.allocUnsafe(this.initialBytes);
    this.spare = undefined;
    this.length = 0;
    return out;
  }

  /**
   * Gives back what `take()` returned, once nothing reads it any more (its write has returned):
   * the next batch is written into it. Memory the process has not touched yet costs a page fault
   * per 4 KB on its first write: filling a fresh buffer per batch cost ~10 times the copy itself
   * (1.7 vs 0.15 ns per byte in the end-to-end bench). A buffer grown past the initial size by a
   * large trace is not kept, so one large trace never leaves a buffer its size held.
   */
  reuse(taken: Buffer): void {
    if (taken.byteOffset !== 0 || taken.buffer.byteLength !== this.initialBytes) return;
    this.spare = Buffer.from(taken.buffer, 0, this.initialBytes);
  }

  /**
   * Makes room for `bytes` more at once. A large trace grown into by doubling was copied over
   * and over into fresh memory: about twice its size copied, four times its size touched
   * (a 16 MB trace: ~55 ms of the ~240 its synchronous write took).
   */
  reserve(bytes: number): void {
    this.ensure(FRAME_HEADER_BYTES + bytes);
  }

  private ensure(extra: number): void {
    if (this.buf.length - this.length >= extra) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + extra));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }
}

export interface FrameDamage {
  /** Byte offset (relative to the scanned buffer) where the damage starts. */
  offset: number;
  /** Bytes skipped until the next valid frame (or the end). */
  bytes: number;
}

export interface FrameScan {
  /** Payloads with their frame start offsets, relative to the scanned buffer. */
  frames: Array<{ offset: number; payload: Buffer }>;
  /** Bytes fully accounted for (complete frames and skipped damage); the rest is an incomplete tail. */
  consumed: number;
  /** Damaged regions skipped in the middle of the buffer (a valid frame follows each). */
  damage: FrameDamage[];
}

type Probe = { kind: 'ok'; length: number } | { kind: 'partial' } | { kind: 'bad' };

function probe(buf: Buffer, at: number): Probe {
  if (buf.length - at < FRAME_HEADER_BYTES) {
    // A short header is only "partial" if what is there is still a plausible prefix of one.
    const have = buf.length - at;
    const magic = Buffer.alloc(4);
    magic.writeUInt32LE(MAGIC, 0);
    return buf.subarray(at, at + Math.min(4, have)).equals(magic.subarray(0, Math.min(4, have))) ? { kind: 'partial' } : { kind: 'bad' };
  }
  if (buf.readUInt32LE(at) !== MAGIC) return { kind: 'bad' };
  const length = buf.readUInt32LE(at + 4);
  if (length > MAX_FRAME_BYTES) return { kind: 'bad' };
  if (buf.length - at - FRAME_HEADER_BYTES < length) return { kind: 'partial' };
  const payload = buf.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + length);
  return crc32(payload) === buf.readUInt32LE(at + 8) ? { kind: 'ok', length } : { kind: 'bad' };
}

/**
 * Splits `buf` into complete, checksum-valid frames. An incomplete frame at the end is left
 * unconsumed (a live writer may still be writing it); damage followed by a valid frame is
 * skipped and reported.
 */
export function scanFrames(buf: Buffer): FrameScan {
  const frames: FrameScan['frames'] = [];
  const damage: FrameDamage[] = [];
  let at = 0;
  while (at < buf.length) {
    const p = probe(buf, at);
    if (p.kind === 'ok') {
      frames.push({ offset: at, payload: buf.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + p.length) });
      at += FRAME_HEADER_BYTES + p.length;
      continue;
    }
    if (p.kind === 'partial') break;
    const next = resync(buf, at + 1);
    if (next < 0) break; // damage runs to the end: treat as a (torn) tail
    damage.push({ offset: at, bytes: next - at });
    at = next;
  }
  return { frames, consumed: at, damage };
}

function resync(buf: Buffer, from: number): number {
  const magic = Buffer.alloc(4);
  magic.writeUInt32LE(MAGIC, 0);
  for (let i = buf.indexOf(magic, from); i >= 0; i = buf.indexOf(magic, i + 1)) {
    if (probe(buf, i).kind === 'ok') return i;
  }
  return -1;
}

/** Verifies and unwraps one frame read at a known offset (body reads). */
export function decodeFrameAt(buf: Buffer): Buffer | undefined {
  const p = probe(buf, 0);
  return p.kind === 'ok' ? buf.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + p.length) : undefined;
}
