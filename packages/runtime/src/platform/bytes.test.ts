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
});
