import { describe, expect, test } from 'vitest';
import { encodedTraceId, newSpanId, newTraceId, randomHex } from './ids.js';

describe('ids', () => {
  test('trace ids: tr- and 32 lowercase hex chars, distinct across pool refills, with their JSON form at hand', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const id = newTraceId();
      expect(id).toMatch(/^tr-[0-9a-f]{32}$/);
      expect(encodedTraceId(id)).toBe(JSON.stringify(id));
      ids.add(id);
    }
    expect(ids.size).toBe(3000);
    expect(encodedTraceId('tr-x')).toBe('"tr-x"');
  });

  test('span ids: 16 lowercase hex chars, never all zeros, distinct across pool refills', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const id = newSpanId();
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      expect(id).not.toBe('0000000000000000');
      ids.add(id);
    }
    expect(ids.size).toBe(3000);
    // Every hex digit turns up in each position (the codes table maps all 16 nibbles).
    const digits = new Set([...ids].map((id) => id[0]));
    expect(digits.size).toBe(16);
  });

  test('randomHex gives the asked length', () => {
    expect(randomHex(32)).toMatch(/^[0-9a-f]{32}$/);
  });
});
