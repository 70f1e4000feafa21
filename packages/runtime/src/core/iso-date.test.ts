import { describe, expect, it } from 'vitest';
import { isoDate } from './iso-date.js';

describe('isoDate', () => {
  it('is toISOString for every day from 1970 to 9999, at random times of day', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let t = 0; t < 253_402_300_800_000; t += 86_400_000) {
      const d = new Date(t + Math.floor(random() * 86_400_000));
      if (isoDate(d) !== d.toISOString()) expect(isoDate(d)).toBe(d.toISOString());
    }
  });

  it('edges: leap days, millisecond boundaries, the ends of the fast range, and outside it', () => {
    const times = [0, 1, 999, 1_000, 59_999, 86_399_999, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2100, 1, 28), Date.UTC(2100, 2, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999)];
    const outside = [-1, -86_400_001, Date.UTC(-5, 0, 1), Date.UTC(10_000, 0, 1), 8.64e15, -8.64e15];
    for (const t of [...times, ...outside]) expect(isoDate(new Date(t)), String(t)).toBe(new Date(t).toISOString());
    expect(isoDate(new Date(NaN))).toBe('Invalid Date');
  });

  it('remembers texts by time value, never by date: a date set to another time, and times sharing a slot, read right', () => {
    const d = new Date(Date.UTC(2024, 0, 1));
    expect(isoDate(d)).toBe('2024-01-01T00:00:00.000Z');
    d.setTime(Date.UTC(2024, 0, 2));
    expect(isoDate(d)).toBe('2024-01-02T00:00:00.000Z');
    for (const t of [1_000, 1_064, 1_128, 1_000, 1_064]) expect(isoDate(new Date(t))).toBe(new Date(t).toISOString());
  });

  it('reads the time slot, never the program\'s methods; a non-Date throws like getTime', () => {
    const d = new Date(Date.UTC(2024, 4, 5, 6, 7, 8, 9));
    Object.defineProperty(d, 'toISOString', { value: () => 'patched' });
    Object.defineProperty(d, 'getTime', { value: () => 0 });
    expect(isoDate(d)).toBe('2024-05-05T06:07:08.009Z');
    expect(() => isoDate(Object.create(Date.prototype) as Date)).toThrow(TypeError);
  });
});
