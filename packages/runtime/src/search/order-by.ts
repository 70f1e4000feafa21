/**
 * order_by (spec B.6): one `<key> [ASC|DESC]` per element; rows missing the value sort last
 * whatever the direction; `timestamp_ms DESC`, then `request_id ASC` break ties.
 */
import type { TraceInfo } from '../model/trace.js';
import { FilterSyntaxError } from './errors.js';
import { resolveOrderByIdentifier, type ResolvedIdentifier } from './identifiers.js';
import { tokenize, type Token } from './lexer.js';
import { SEARCH_LIMITS } from './limits.js';
import { assessmentValues, valueForms, type AssessmentKind } from './assessments.js';

/**
 * The trace's first valid assessment of that name: numbers (and booleans, as 0/1) sort as
 * numbers, anything else by its text; traces without one sort last.
 */
function assessmentSortValue(kind: AssessmentKind, name: string): Getter {
  return (info) => {
    const [value] = assessmentValues(info, kind, name);
    if (typeof value === 'number') return value;
    if (typeof value === 'boolean') return value ? 1 : 0;
    return valueForms(value)?.[0];
  };
}

type SortValue = number | string | undefined;
type Getter = (info: TraceInfo) => SortValue;

export interface OrderByKey {
  /** Canonical field, e.g. `timestamp_ms`, `tag:env`, `metadata:mlflow.trace.user`. */
  field: string;
  ascending: boolean;
}

const DEFAULT_KEYS: readonly OrderByKey[] = [
  { field: 'timestamp_ms', ascending: false },
  { field: 'request_id', ascending: true },
];

export function parseOrderBy(orderBy: readonly string[] | undefined): OrderByKey[] {
  if (orderBy === undefined) return [...DEFAULT_KEYS];
  if (!Array.isArray(orderBy)) {
    throw new FilterSyntaxError('order_by must be a list of strings such as ["timestamp_ms DESC"]', String(orderBy), 0, String(orderBy), 'order_by');
  }
  if (orderBy.length > SEARCH_LIMITS.maxOrderByKeys) {
    // Each key is one link of the comparator chain: the limit keeps sorting shallow.
    const extra = String(orderBy[SEARCH_LIMITS.maxOrderByKeys]);
    throw new FilterSyntaxError(
      `order_by has ${orderBy.length} keys, the limit is ${SEARCH_LIMITS.maxOrderByKeys} (this is the first one over it)`,
      extra,
      0,
      extra,
      'order_by',
    );
  }
  const keys: OrderByKey[] = [];
  const seen = new Map<string, string>();
  for (const clause of orderBy) {
    const { key, token } = parseClause(clause);
    const previous = seen.get(key.field);
    if (previous !== undefined) {
      throw new FilterSyntaxError(`\`order_by\` contains duplicate fields: ['${previous}', '${token.text}']`, clause, token.start, token.text, 'order_by');
    }
    seen.set(key.field, token.text);
    keys.push(key);
  }
  for (const fallback of DEFAULT_KEYS) if (!seen.has(fallback.field)) keys.push(fallback);
  return keys;
}

function parseClause(clause: unknown): { key: OrderByKey; token: Token } {
  if (typeof clause !== 'string') {
    const text = String(clause);
    throw new FilterSyntaxError(`Invalid order_by clause '${text}'. Could not be parsed.`, text, 0, text, 'order_by');
  }
  let tokens: Token[];
  try {
    tokens = tokenize(clause, 'order_by');
  } catch (error) {
    const e = error as FilterSyntaxError;
    throw new FilterSyntaxError(`Invalid order_by clause '${clause}'. Could not be parsed.`, clause, e.position, e.token, 'order_by');
  }
  const [identifier, direction, rest] = tokens as [Token, Token, Token | undefined];
  const unparsable = (at: Token): never => {
    throw new FilterSyntaxError(`Invalid order_by clause '${clause}'. Could not be parsed.`, clause, at.start, at.text, 'order_by');
  };
  if (identifier.kind !== 'identifier') unparsable(identifier);
  let ascending = true;
  if (direction.kind !== 'end') {
    const word = direction.kind === 'identifier' ? direction.text.toUpperCase() : '';
    if (word !== 'ASC' && word !== 'DESC') unparsable(direction);
    ascending = word === 'ASC';
    if (rest!.kind !== 'end') unparsable(rest!);
  }
  const resolved = resolveOrderByIdentifier(identifier, clause);
  return { key: { field: fieldOf(resolved), ascending }, token: identifier };
}

function fieldOf(id: ResolvedIdentifier): string {
  return id.entity === 'attribute' ? id.key : `${id.entity}:${id.key}`;
}

function getterFor(field: string): Getter {
  switch (field) {
    case 'timestamp_ms':
      return (i) => i.requestTime;
    case 'execution_time_ms':
      return (i) => i.executionDuration;
    case 'end_time_ms':
      return (i) => i.requestTime + (i.executionDuration ?? 0);
    case 'status':
      return (i) => i.state;
    case 'request_id':
      return (i) => i.traceId;
    case 'experiment_id':
      return (i) => i.traceLocation.mlflowExperiment.experimentId;
  }
  const key = field.slice(field.indexOf(':') + 1);
  if (field.startsWith('feedback:') || field.startsWith('expectation:')) return assessmentSortValue(field.startsWith('feedback:') ? 'feedback' : 'expectation', key);
  // Inherited members (`constructor`...) are never strings: the typeof test is the own-check.
  if (field.startsWith('tag:')) {
    return (i) => {
      const v = i.tags[key];
      return typeof v === 'string' ? v : undefined;
    };
  }
  return (i) => {
    const v = i.traceMetadata[key];
    return typeof v === 'string' ? v : undefined;
  };
}

/** A comparator for Array.prototype.sort over trace infos. */
export function compileOrderBy(orderBy?: readonly string[]): (a: TraceInfo, b: TraceInfo) => number {
  // One closure per key, each falling through to the next on a tie: no loop or array per call.
  let compare: (a: TraceInfo, b: TraceInfo) => number = () => 0;
  for (const key of parseOrderBy(orderBy).reverse()) compare = keyComparator(getterFor(key.field), key.ascending ? 1 : -1, compare);
  return compare;
}

function keyComparator(get: Getter, sign: number, onTie: (a: TraceInfo, b: TraceInfo) => number): (a: TraceInfo, b: TraceInfo) => number {
  return (a, b) => {
    const x = get(a);
    const y = get(b);
    if (x === y) return onTie(a, b);
    // Missing values last in both directions (the SQL store's outer-join ordering).
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    // Code-unit order, like the SQL stores' binary collation (not locale order).
    return (x < y ? -1 : 1) * sign;
  };
}
