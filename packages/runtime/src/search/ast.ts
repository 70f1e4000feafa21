import type { EntityType } from './identifiers.js';

export type Comparator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'LIKE'
  | 'ILIKE'
  | 'RLIKE'
  | 'IN'
  | 'NOT IN'
  | 'IS NULL'
  | 'IS NOT NULL';

/** A string (quotes removed, verbatim), a number (numeric keys), a list (IN / NOT IN) or null (IS [NOT] NULL). */
export type FilterValue = string | number | readonly string[] | null;

/** One `identifier comparator value` clause, identifiers resolved (aliases and MLflow's rewrites applied). */
export interface FilterComparison {
  readonly kind: 'comparison';
  readonly entity: EntityType;
  /** Canonical key (see ResolvedIdentifier.key in identifiers.ts). */
  readonly key: string;
  readonly comparator: Comparator;
  readonly value: FilterValue;
  /** The identifier as written, e.g. "trace.name". */
  readonly identifier: string;
  /** 0-based position of the identifier in the filter. */
  readonly position: number;
}

export interface FilterAnd {
  readonly kind: 'and';
  readonly operands: readonly FilterExpression[];
}

export interface FilterOr {
  readonly kind: 'or';
  readonly operands: readonly FilterExpression[];
}

export interface FilterNot {
  readonly kind: 'not';
  readonly operand: FilterExpression;
}

/** The empty filter: matches every trace. */
export interface FilterAll {
  readonly kind: 'all';
}

export type FilterExpression = FilterComparison | FilterAnd | FilterOr | FilterNot | FilterAll;
