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

export function hexToBytes(hex: string): Uint8Array {
  if (NodeBuffer) return NodeBuffer.from(hex, 'hex');
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) {
    const byte = parseInt(hex.substr(i * 2, 2), 16);
    if (Number.isNaN(byte)) return out.subarray(0, i); // as Buffer.from(hex, 'hex') does
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
