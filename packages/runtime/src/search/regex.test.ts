import { describe, expect, it } from 'vitest';
import { compileFilter } from './index.js';
import { filterSyntaxError } from './__tests__/filter-error.js';
import { compileRegex } from './regex.js';

const matches = (pattern: string, value: string) => compileRegex(pattern)(value);

describe('RLIKE: RE2 syntax, searched anywhere in the value', () => {
  it.each([
    ['dict', 'predict', true],
    ['^pre', 'predict', true],
    ['^dict', 'predict', false],
    ['(?i)PREDICT', 'predict', true],
    ['PREDICT', 'predict', false],
    ['\\pL+\\d', 'café7', true],
    ['^[[:alpha:]]+$', 'abc', true],
    ['\\x{41}', 'A', true],
    ['(?P<word>ab)+c', 'ababc', true],
    ['(?<word>ab)c', 'abc', true],
    ['\\Qa.b\\E', 'a.b', true],
    ['\\Qa.b\\E', 'axb', false],
    ['^.$', '😀', true], // one code point, not two UTF-16 units
    ['a.b', 'a\nb', false],
    ['(?s)a.b', 'a\nb', true],
    ['\\bword\\b', 'a word here', true],
    ['a{2,3}', 'caab', true],
    ['(a+)+$', 'aaab', false], // linear-time matching against long values: packages/cli/src/search-abuse.test.ts
  ] as const)('%s on %j → %s', (pattern, value, expected) => {
    expect(matches(pattern, value)).toBe(expected);
  });
});

/** [filter, offending fragment, its position in the filter, words of the reason] */
describe('RLIKE: constructs RE2 cannot run in linear time are rejected at parse time, with their position', () => {
  it.each([
    ["tags.t RLIKE '(a)\\1'", '\\1', 17, 'backreferences'],
    ["tags.t RLIKE '(?<n>a)\\k<n>'", '\\k', 21, 'named backreferences'],
    ["tags.t RLIKE 'x(?=y)'", '(?=', 15, 'lookahead'],
    ["tags.t RLIKE 'x(?!y)'", '(?!', 15, 'lookahead'],
    ["tags.t RLIKE '(?<=x)y'", '(?<=x)y', 14, 'lookbehind'],
    ["tags.t RLIKE '(?<!x)y'", '(?<!x)y', 14, 'lookbehind'],
    ["tags.t RLIKE 'a(?>bc|b)c'", '(?>', 15, 'atomic groups'],
    ["tags.t RLIKE 'xa++'", '++', 16, 'possessive'],
    ["tags.t RLIKE '\\u0041'", '\\u', 14, 'write \\x{XXXX}'],
    ["tags.t RLIKE 'a{1001}'", '{1001}', 15, 'invalid repeat count'],
    ["tags.t RLIKE 'ok' AND span.name RLIKE '[a-'", '[a-', 39, 'missing closing ]'],
    [`tags.t RLIKE '${'('.repeat(2000)}a${')'.repeat(2000)}'`, "'(((", 13, 'nests too deeply'],
  ])('%s', (filter, fragment, position, reason) => {
    const e = filterSyntaxError(() => compileFilter(filter));
    expect(e.token.startsWith(fragment), `token ${e.token}`).toBe(true);
    expect(e.position).toBe(position);
    expect(e.reason).toContain('Invalid regular expression for RLIKE');
    expect(e.reason).toContain(reason);
    expect(e.reason).toContain('RE2 syntax');
  });
});
