/**
 * Size limits on search input. They are far beyond any hand-written or generated filter, and
 * they keep parsing, compiling and evaluating iterative-or-shallow: a filter that nests 10,000
 * levels deep must be a clear FilterSyntaxError, never a stack overflow.
 */
export const SEARCH_LIMITS = Object.freeze({
  /** Characters in a filter string. */
  maxFilterLength: 100_000,
  /** Levels of `(` and `NOT` around a comparison (`NOT (a OR NOT (b))` is 3). */
  maxNestingDepth: 100,
  /** Comparisons (`identifier comparator value`) in one filter. */
  maxComparisons: 1_000,
  /** Elements of order_by. */
  maxOrderByKeys: 100,
  /**
   * Compiled size of an RLIKE pattern, in RE2 instructions (`a{200}` is about 200). Matching is
   * linear in the value's length, with a factor that grows with the pattern: the cap keeps one
   * match of a 100 KB value well under a second, since the time budget is checked between traces.
   */
  maxRegexInstructions: 1_000,
});
