/**
 * RLIKE patterns: RE2 syntax, matched by re2js, a pure-JavaScript RE2 (time linear in the
 * value's length, whatever the pattern: `(a+)+$` cannot backtrack). Constructs RE2 refuses
 * because they need backtracking (backreferences, lookaround, possessive and atomic groups)
 * are reported with their offset in the pattern and a plain-words reason.
 */
import { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';

import { RegexSyntaxProblem } from './regex-problem.js';

export { RegexSyntaxProblem };
export type RegexTest = (value: string) => boolean;

/** Why a construct is missing, for the constructs users bring from JavaScript/PCRE regexes. */
const UNSUPPORTED: ReadonlyArray<[RegExp, string]> = [
  [/^\\[1-9]/, 'backreferences (\\1) are not supported'],
  [/^\\k/, 'named backreferences (\\k<name>) are not supported'],
  [/^\(\?[=!]/, 'lookahead ((?=...), (?!...)) is not supported'],
  [/^\(\?<[=!]/, 'lookbehind ((?<=...), (?<!...)) is not supported'],
  [/^\(\?>/, 'atomic groups ((?>...)) are not supported'],
  [/^[*+?}]\+/, 'possessive quantifiers (a++, a*+) are not supported'],
  [/^\\u/, '\\uXXXX escapes are not RE2 syntax; write \\x{XXXX}'],
];

/**
 * Compiles a pattern into a test that searches anywhere in the value (SQL REGEXP / `~`).
 * `maxInstructions` caps the compiled size (user-written RLIKE patterns; see SEARCH_LIMITS).
 */
export function compileRegex(pattern: string, maxInstructions = Infinity): RegexTest {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (error) {
    throw toProblem(pattern, error);
  }
  const size = re.programSize();
  if (size > maxInstructions) {
    throw new RegexSyntaxProblem(`pattern too large: it compiles to ${size} RE2 instructions, the limit is ${maxInstructions} (repetition counts such as {0,500} multiply the pattern)`, 0, '');
  }
  return (value) => re.test(value);
}

function toProblem(pattern: string, error: unknown): Error {
  if (!(error instanceof RE2JSException)) return error as Error;
  const fragment = error instanceof RE2JSSyntaxException && typeof error.input === 'string' ? error.input : '';
  const found = fragment === '' ? -1 : pattern.indexOf(fragment);
  const what = error instanceof RE2JSSyntaxException && error.error ? error.error : error.message.replace(/^error parsing regexp: /, '');
  const hint = UNSUPPORTED.find(([shape]) => shape.test(fragment))?.[1];
  const reason = hint
    ? `${hint} (RLIKE uses RE2 syntax, matched in linear time)`
    : `${what}${fragment ? `: \`${fragment}\`` : ''} (RLIKE uses RE2 syntax)`;
  return new RegexSyntaxProblem(reason, Math.max(0, found), fragment);
}
