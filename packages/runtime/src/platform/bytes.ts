/**
 * Hex, base64 and UTF-8 conversions. Node's Buffer where present (fast, native); plain code on
 * runtimes without it (workerd without nodejs_compat, browsers).
 */
import { flattened } from './flat-string.js';

type BufferLike = Uint8Array & { toString(encoding: string): string };
interface BufferStatics {
  from(data: string | Uint8Array, encoding?: string): BufferLike;
  from(data: ArrayBufferLike, byteOffset: number, length: number): BufferLike;
}
const NodeBuffer = (globalThis as { Buffer?: BufferStatics }).Buffer;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A Buffer over the same memory (no copy). */
function viewAsBuffer(bytes: Uint8Array): BufferLike {
  return NodeBuffer!.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

export function bytesToHex(bytes: Uint8Array): string {
  if (NodeBuffer) return viewAsBuffer(bytes).toString('hex');
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;
  NIBBLE['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** The value of `count` hex digits of `hex` from `at`, or -1 if one is not a hex digit. */
function hexValue(hex: string, at: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const c = hex.charCodeAt(at + k);
    const d = c < 128 ? NIBBLE[c]! : -1;
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

export function hexToBytes(hex: string): Uint8Array {
  if (NodeBuffer) return NodeBuffer.from(hex, 'hex');
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) {
    const byte = hexValue(hex, i * 2, 2); // parseInt would take "5é" as 5
    if (byte < 0) return out.subarray(0, i); // as Buffer.from(hex, 'hex') does
    out[i] = byte;
  }
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return viewAsBuffer(bytes).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

export function base64ToBytes(b64: string): Uint8Array {
  if (NodeBuffer) return NodeBuffer.from(b64, 'base64');
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function utf8Encode(text: string): Uint8Array {
  const flat = flattened(text);
  return NodeBuffer ? NodeBuffer.from(flat, 'utf8') : encoder.encode(flat);
}

export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

const BASE64_CODES = Uint8Array.from(BASE64, (c) => c.charCodeAt(0));
const PAD = 61; // '='
const fromCharCode = String.fromCharCode;
/** The output's character codes, made into one string by one call (`+=` of single characters made a string per step). */
const codes: number[] = [];

/**
 * Hex to base64 without the bytes in between: ids are converted for every span written (the
 * store and the MLflow exporter write base64 ids), and two native conversions with their buffers
 * cost twice this. Anything but an even run of hex digits goes the long way (the same result
 * `Buffer.from(hex, 'hex')` gives for it).
 */
export function hexToBase64(hex: string): string {
  const n = hex.length;
  if ((n & 1) !== 0 || n > 4096) return bytesToBase64(hexToBytes(hex));
  const out = codes;
  const C = BASE64_CODES;
  out.length = 0;
  let i = 0;
  for (; i + 6 <= n; i += 6) {
    const v = hexValue(hex, i, 6);
    if (v < 0) return bytesToBase64(hexToBytes(hex));
    out.push(C[v >> 18]!, C[(v >> 12) & 63]!, C[(v >> 6) & 63]!, C[v & 63]!);
  }
  const rest = n - i; // 0, 2 or 4 digits: one or two bytes, padded
  if (rest !== 0) {
    const v = hexValue(hex, i, rest);
    if (v < 0) return bytesToBase64(hexToBytes(hex));
    if (rest === 2) out.push(C[v >> 2]!, C[(v & 3) << 4]!, PAD, PAD);
    else out.push(C[v >> 10]!, C[(v >> 4) & 63]!, C[(v & 15) << 2]!, PAD);
  }
  return fromCharCode.apply(undefined, out);
}
