/**
 * String tests for the filter comparators, built once per filter. SQL NULL semantics: a
 * missing value (undefined) satisfies only IS NULL — `!=` and NOT IN are false for it too.
 */
import type { Comparator } from './ast.js';
import { compileRegex } from './regex.js';

export type StringTest = (value: string | undefined) => boolean;
export type NumberTest = (value: number | undefined) => boolean;

const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/**
 * SQL LIKE: `%` any run, `_` one character, no escape character (SQLite's default, MLflow's
 * default backend). Common shapes (exact, prefix, suffix, substring) avoid regular expressions;
 * the rest go through RE2 like RLIKE, since `%a%a%a%…b` as a backtracking RegExp is polynomial
 * in the value's length.
 */
export function likeMatcher(pattern: string, caseInsensitive: boolean): (value: string) => boolean {
  const simple = pattern.includes('_') ? undefined : simpleLike(caseInsensitive ? pattern.toLowerCase() : pattern);
  if (simple) return caseInsensitive ? (v) => simple(v.toLowerCase()) : simple;
  let source = '';
  for (const ch of pattern) {
    if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(REGEX_SYNTAX, '\\$&');
  }
  // s: '%' and '_' match newlines too; RE2's '.' is one code point, not one UTF-16 unit.
  return compileRegex(`(?${caseInsensitive ? 'is' : 's'})^${source}$`);
}

/** Exact / prefix / suffix / substring / match-all patterns as plain string operations. */
function simpleLike(p: string): ((value: string) => boolean) | undefined {
  const pieces = p.split('%');
  if (pieces.length === 1) return (v) => v === p;
  if (pieces.every((piece) => piece === '')) return () => true;
  if (pieces.length === 2) {
    const [head, tail] = pieces as [string, string];
    if (tail === '') return (v) => v.startsWith(head);
    if (head === '') return (v) => v.endsWith(tail);
  }
  if (pieces.length === 3 && pieces[0] === '' && pieces[2] === '') {
    const middle = pieces[1]!;
    return (v) => v.includes(middle);
  }
  return undefined;
}

/** Builds the test for one string-valued comparison (the parser has validated the pairing). */
export function stringTest(comparator: Comparator, value: string | readonly string[] | null): StringTest {
  switch (comparator) {
    case '=': {
      const expected = value as string;
      return (v) => v === expected;
    }
    case '!=': {
      const excluded = value as string;
      return (v) => v !== undefined && v !== excluded;
    }
    case 'LIKE':
    case 'ILIKE': {
      const match = likeMatcher(value as string, comparator === 'ILIKE');
      return (v) => v !== undefined && match(v);
    }
    case 'RLIKE': {
      // SQL REGEXP / `~` search anywhere in the value unless the pattern anchors itself.
      const test = compileRegex(value as string);
      return (v) => v !== undefined && test(v);
    }
    case 'IN': {
      const set = new Set(value as readonly string[]);
      return (v) => v !== undefined && set.has(v);
    }
    case 'NOT IN': {
      const set = new Set(value as readonly string[]);
      return (v) => v !== undefined && !set.has(v);
    }
    case 'IS NULL':
      return (v) => v === undefined;
    case 'IS NOT NULL':
      return (v) => v !== undefined;
    default:
      throw new Error(`comparator ${comparator} does not apply to strings`);
  }
}

export function numberTest(comparator: Comparator, expected: number): NumberTest {
  switch (comparator) {
    case '=':
      return (v) => v === expected;
    case '!=':
      return (v) => v !== undefined && v !== expected;
    case '<':
      return (v) => v !== undefined && v < expected;
    case '<=':
      return (v) => v !== undefined && v <= expected;
    case '>':
      return (v) => v !== undefined && v > expected;
    case '>=':
      return (v) => v !== undefined && v >= expected;
    default:
      throw new Error(`comparator ${comparator} does not apply to numbers`);
  }
}
