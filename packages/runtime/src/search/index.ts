/**
 * searchTraces filtering, ordering and paging: MLflow's filter language (search grammar spec
 * B), plus tracewright's OR, NOT and parentheses (precedence NOT > AND > OR). Pure: no I/O.
 *
 *   compileFilter("metadata.`mlflow.trace.user` = 'u1' AND (trace.status = 'ERROR' OR NOT tags.env = 'prod')")
 *
 * Stores compile a filter once per search and evaluate the returned closure per trace;
 * `needsSpans` tells them whether span bodies must be loaded. See README.md for the grammar.
 */
export { FilterSyntaxError } from './errors.js';
export { SEARCH_LIMITS } from './limits.js';
export { SearchTimeoutError, DEFAULT_SEARCH_TIMEOUT_MS, startDeadline, validateTimeoutMs } from './deadline.js';
export type { DeadlineCheck } from './deadline.js';
export type { SearchInputKind } from './errors.js';
export { parseFilter } from './parser.js';
export type {
  FilterExpression,
  FilterComparison,
  FilterAnd,
  FilterOr,
  FilterNot,
  FilterAll,
  FilterValue,
  Comparator,
} from './ast.js';
export type { EntityType } from './identifiers.js';
export { compileFilter, compileExpression, needsSpans } from './compile.js';
export type { SearchableTrace, TracePredicate } from './compile.js';
export { compileOrderBy, parseOrderBy } from './order-by.js';
export type { OrderByKey } from './order-by.js';
export {
  encodePageToken,
  decodePageToken,
  validateMaxResults,
  pageTokenContext,
  DEFAULT_MAX_RESULTS,
  MAX_RESULTS_THRESHOLD,
} from './paging.js';
export { searchInMemory } from './in-memory.js';
