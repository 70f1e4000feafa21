import { describe, expect, it } from 'vitest';
import { compileFilter, compileOrderBy, SEARCH_LIMITS } from './index.js';
import { filterSyntaxError } from './__tests__/filter-error.js';

const { maxNestingDepth, maxComparisons, maxFilterLength, maxOrderByKeys } = SEARCH_LIMITS;
const CLAUSE = "tags.k = 'a'";

const info = { tags: { k: 'a' }, traceMetadata: {} } as never;

describe('documented limits: at the limit it works, beyond it (up to 100×) a positioned FilterSyntaxError — never a stack overflow', () => {
  it('nesting: parentheses', () => {
    expect(compileFilter('('.repeat(maxNestingDepth) + CLAUSE + ')'.repeat(maxNestingDepth))({ info })).toBe(true);
    for (const depth of [maxNestingDepth + 1, maxNestingDepth * 10, 10_000]) {
      const e = filterSyntaxError(() => compileFilter('('.repeat(depth) + CLAUSE + ')'.repeat(depth)));
      expect(e.position).toBe(maxNestingDepth);
      expect(e.token).toBe('(');
      expect(e.reason).toBe(`Filter nests too deeply: more than ${maxNestingDepth} levels of '(' and NOT`);
    }
  });

  it('nesting: a chain of NOT, and NOT mixed with parentheses', () => {
    expect(compileFilter('NOT '.repeat(maxNestingDepth) + CLAUSE)({ info })).toBe(true); // an even number of NOTs
    for (const depth of [maxNestingDepth * 10, 10_000]) {
      const e = filterSyntaxError(() => compileFilter('NOT '.repeat(depth) + CLAUSE));
      expect({ position: e.position, token: e.token }).toEqual({ position: maxNestingDepth * 4, token: 'NOT' });
      const mixed = filterSyntaxError(() => compileFilter('NOT ('.repeat(depth) + CLAUSE + ')'.repeat(depth)));
      expect(mixed.position).toBe((maxNestingDepth / 2) * 5);
    }
  });

  it('nesting: unmatched parentheses', () => {
    for (const depth of [maxNestingDepth * 10, 10_000, 100_000 - 1]) {
      const e = filterSyntaxError(() => compileFilter('('.repeat(depth)));
      expect({ position: e.position, token: e.token }).toEqual({ position: maxNestingDepth, token: '(' });
    }
    // Below the depth limit the missing ')' is what is reported.
    expect(filterSyntaxError(() => compileFilter('('.repeat(5))).reason).toContain('unexpected end of filter');
  });

  it('comparisons', () => {
    const compact = "status='a'";
    const filter = (n: number) => Array.from({ length: n }, () => compact).join('AND ');
    expect(compileFilter(Array.from({ length: maxComparisons }, () => CLAUSE).join(' OR '))({ info })).toBe(true);
    const e = filterSyntaxError(() => compileFilter(filter(maxComparisons * 5)));
    expect(e.position).toBe(maxComparisons * (compact.length + 4));
    expect(e.token).toBe('status');
    expect(e.reason).toBe(`Filter has too many comparisons: more than ${maxComparisons}`);
    // 10× the comparisons no longer fits in the length limit, which answers first.
    expect(filterSyntaxError(() => compileFilter(filter(maxComparisons * 10))).reason).toMatch(/^Filter too long/);
  });

  it('filter length', () => {
    const long = `tags.k = '${'x'.repeat(maxFilterLength * 10)}'`;
    const e = filterSyntaxError(() => compileFilter(long));
    expect(e.position).toBe(maxFilterLength);
    expect(e.reason).toBe(`Filter too long: ${long.length} characters, the limit is ${maxFilterLength}`);
    expect(e.message.length).toBeLessThan(1000); // the caret line shows the neighbourhood, not 1 MB
    expect(compileFilter(`tags.k = '${'x'.repeat(maxFilterLength - 20)}'`)({ info })).toBe(false);
  });

  it('order_by keys', () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `tags.k${i}`);
    const compare = compileOrderBy(keys(maxOrderByKeys));
    const a = { traceId: 'tr-a', requestTime: 1, tags: {}, traceMetadata: {} } as never;
    const b = { traceId: 'tr-b', requestTime: 1, tags: {}, traceMetadata: {} } as never;
    expect(compare(a, b)).toBeLessThan(0);
    for (const n of [maxOrderByKeys + 1, maxOrderByKeys * 10, 10_000]) {
      const e = filterSyntaxError(() => compileOrderBy(keys(n)));
      expect(e.kind).toBe('order_by');
      expect(e.filter).toBe(`tags.k${maxOrderByKeys}`);
      expect(e.reason).toBe(`order_by has ${n} keys, the limit is ${maxOrderByKeys} (this is the first one over it)`);
    }
  });
});

describe('RLIKE pattern size', () => {
  it(`accepts patterns up to ${SEARCH_LIMITS.maxRegexInstructions} RE2 instructions and rejects bigger ones at the value`, () => {
    expect(compileFilter("tags.k RLIKE '^(a|b){0,200}$'")({ info })).toBe(true);
    const filter = "tags.k = 'a' AND tags.k RLIKE '(?i)(\\pL|\\pN){0,1000}!$'";
    const e = filterSyntaxError(() => compileFilter(filter));
    expect(e.position).toBe(filter.indexOf("'(?i)"));
    expect(e.reason).toMatch(/^Invalid regular expression for RLIKE: pattern too large: it compiles to \d+ RE2 instructions, the limit is 1000/);
  });
});
