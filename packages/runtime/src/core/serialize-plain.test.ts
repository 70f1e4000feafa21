import { describe, expect, it } from 'vitest';
import { serialize } from './serialize.js';

// The serializer quotes strings and keys itself when they need no escaping and memoizes the
// JSON of keys (serialize.ts, `quote` / `quotedKey`); on plain data its output must stay
// exactly JSON.stringify's.
const text = (v: unknown, maxChars = 1_000_000) => serialize(v, { maxChars });

describe('serialize writes plain data exactly as JSON.stringify', () => {
  it('every UTF-16 code unit, alone and inside text, as a value and as a key', () => {
    const mismatches: number[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      const s = `a${ch}b`;
      if (text(ch) !== JSON.stringify(ch) || text(s) !== JSON.stringify(s)) mismatches.push(c);
      // Keys take the same quoting plus the memo: every unit where escaping starts or stops, and a sample.
      if (c < 0x80 || (c >= 0xd7f0 && c <= 0xe010) || c % 251 === 0) {
        if (text({ [s]: [ch] }) !== JSON.stringify({ [s]: [ch] })) mismatches.push(c);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('surrogate pairs, lone surrogates, quotes, backslashes, line separators', () => {
    const samples = ['😀', 'a😀b', '\ud83d', 'x\ude00', '\ude00\ud83d', 'say "hi"', 'C:\\path', '\u2028\u2029', 'tab\there', '', ' '];
    for (const s of samples) {
      const value = { [s]: { nested: [s, s.length], [`${s}-k`]: s } };
      expect(text(value)).toBe(JSON.stringify(value));
    }
  });

  it('keys beyond the memo (long keys, more distinct keys than it holds) and the same keys again', () => {
    const wide: Record<string, number> = {};
    for (let i = 0; i < 3000; i++) wide[`key_${i}_${'x'.repeat(i % 90)}`] = i;
    expect(text(wide)).toBe(JSON.stringify(wide));
    expect(text(wide)).toBe(JSON.stringify(wide));
    const small = { a: 1, 'needs "escape"': 2, 'line\nbreak': 3 };
    expect(text(small)).toBe(JSON.stringify(small));
  });

  it('realistic nested payloads', () => {
    const doc = {
      id: 'doc-1',
      messages: [
        { role: 'system', content: 'You are "helpful".\nBe brief.' },
        { role: 'user', content: 'Ça va? 日本語 😀', attachments: [] },
      ],
      params: { temperature: 0.2, top_p: 1, stop: null, stream: false, n: -3, big: 1e21, small: 1e-7 },
    };
    expect(text(doc)).toBe(JSON.stringify(doc));
  });

  it('a key longer than maxChars is cut as before, and the cut key is not memoized', () => {
    const key = 'k'.repeat(50);
    const out = serialize({ [key]: 1 }, { maxChars: 20 });
    expect(JSON.parse(out)).toMatch(/^\.\.\.\[truncated by tracewright: \d+\+ more chars\]$/);
    // The cut key is not what a later call with room for the whole key writes.
    expect(serialize({ [key]: 1 }, { maxChars: 1000 })).toBe(JSON.stringify({ [key]: 1 }));
  });

  it('never runs a getter: an own getter reads "[getter]", a setter alone undefined', () => {
    let reads = 0;
    const obj = {
      get counted() {
        reads++;
        return 'v';
      },
      get broken(): never {
        throw new Error('no');
      },
      after: 1,
    };
    Object.defineProperty(obj, 'writeOnly', { enumerable: true, set() {} });
    expect(JSON.parse(text(obj))).toEqual({ counted: '[getter]', broken: '[getter]', after: 1, writeOnly: null });
    expect(reads).toBe(0);
  });
});
