/**
 * The conversions give the same results with Node's Buffer and with the plain code the edge
 * runtimes without Buffer use (loaded here with Buffer hidden).
 */
import { describe, expect, it, vi } from 'vitest';
import * as withBuffer from './bytes.js';

async function loadWithoutBuffer(): Promise<typeof withBuffer> {
  const saved = globalThis.Buffer;
  // @ts-expect-error hidden for the module's load only, as on workerd without nodejs_compat
  delete globalThis.Buffer;
  try {
    vi.resetModules();
    return await import('./bytes.js');
  } finally {
    globalThis.Buffer = saved;
  }
}

describe('bytes', () => {
  it('hex, base64 and UTF-8 agree with and without Buffer', async () => {
    const plain = await loadWithoutBuffer();
    expect(plain).not.toBe(withBuffer); // a fresh evaluation, which saw no Buffer
    const bytes = new Uint8Array([0, 1, 127, 128, 254, 255, 16, 32]);
    const text = 'héllo → 世界 🎉';
    for (const m of [withBuffer, plain]) {
      expect(m.bytesToHex(bytes)).toBe('00017f80feff1020');
      expect([...m.hexToBytes('00017f80feff1020')]).toEqual([...bytes]);
      expect(m.bytesToHex(m.hexToBytes('abc'))).toBe('ab'); // a trailing odd digit is dropped, as Buffer does
      expect(m.bytesToBase64(bytes)).toBe('AAF/gP7/ECA=');
      expect([...m.base64ToBytes('AAF/gP7/ECA=')]).toEqual([...bytes]);
      expect(m.utf8Decode(m.utf8Encode(text))).toBe(text);
      expect(m.bytesToHex(bytes.subarray(2, 4))).toBe('7f80');
    }
  });

  it('hexToBase64 gives what the bytes in between give, for every length and odd input', async () => {
    const plain = await loadWithoutBuffer();
    const viaBytes = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
    const inputs = ['', '0', 'f', 'ff', 'FFee', 'abc', '00017f80feff1020', 'zz', '12zz56', 'abcdef0', '0123456789ABCDEFabcdef', '12345\u00e9', '1234567890ab\u4e2d1'];
    for (let n = 1; n <= 24; n++) inputs.push(Array.from({ length: n }, (_, i) => '0123456789abcdef'[(i * 7 + n) % 16]).join(''));
    // Long runs: made by one call up to 4,096 digits, the long way past it.
    for (const n of [4094, 4096, 4098, 10_000]) inputs.push(Array.from({ length: n }, (_, i) => '0123456789abcdef'[(i * 5 + 3) % 16]).join(''));
    for (const m of [withBuffer, plain]) for (const hex of inputs) expect([hex, m.hexToBase64(hex)]).toEqual([hex, viaBytes(hex)]);
  });
});
