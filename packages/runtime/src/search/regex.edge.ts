/**
 * The edge build's pattern matcher, without re2js (150 KB minified: more than the rest of the
 * edge entry). LIKE patterns the search compiles (`(?s)^…$` made of literals, `.` and `.*`)
 * run as a JavaScript RegExp; any other pattern — a user's RLIKE — is refused with an error
 * naming the reason, since a backtracking RegExp could hang on it. Search with RLIKE on Node.
 */
import type { RegexTest } from './regex.js';
import { RegexSyntaxProblem } from './regex-problem.js';

export { RegexSyntaxProblem };
export type { RegexTest } from './regex.js';

/** `(?s)` or `(?is)`, `^`, then escaped characters, literals, `.` and `.*` only, then `$`. */
const LIKE_SHAPE = /^\(\?(i?)s\)\^((?:\\[^\n]|[^\\^$*+?()[\]{}|/]|\.\*?)*)\$$/s;

export function compileRegex(pattern: string, _maxInstructions = Infinity): RegexTest {
  const like = LIKE_SHAPE.exec(pattern);
  if (!like) {
    throw new RegexSyntaxProblem('RLIKE is not available in the edge build (it needs the linear-time RE2 matcher of the Node entry)', 0, '');
  }
  const re = new RegExp(`^${like[2]}$`, like[1] ? 'is' : 's');
  return (value) => re.test(value);
}
