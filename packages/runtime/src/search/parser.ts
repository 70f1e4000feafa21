/**
 * Filter string → AST, with MLflow's validation (search grammar spec B) applied at parse
 * time: what MLflow's parser or SQL store rejects is rejected here, with MLflow's wording
 * plus the offending token and its position.
 *
 * Grammar (MLflow's AND-only language, plus tracewright's OR / NOT / parentheses):
 *   filter     = [ or ] [ ";" ]
 *   or         = and { "OR" and }
 *   and        = { "AND" } unary { "AND" { "AND" } unary } { "AND" }   (stray ANDs tolerated, as MLflow)
 *   unary      = "NOT" unary | "(" or ")" | comparison
 *   comparison = identifier comparator value | identifier "IS" [ "NOT" ] "NULL"
 *   comparator = "=" | "!=" | "<" | "<=" | ">" | ">=" | "LIKE" | "ILIKE" | "RLIKE" | "IN" | "NOT" "IN"
 *   value      = string | number | "(" string { "," string } ")"
 * Precedence: NOT > AND > OR. Keywords are case-insensitive.
 *
 * Recursion is bounded by SEARCH_LIMITS.maxNestingDepth (checked before descending), so no
 * input can overflow the stack; length and comparison count are capped too (limits.ts).
 */
import type { Comparator, FilterComparison, FilterExpression, FilterValue } from './ast.js';
import { FilterSyntaxError, pySet } from './errors.js';
import { resolveFilterIdentifier, NUMERIC_ATTRIBUTES, type ResolvedIdentifier } from './identifiers.js';
import { tokenize, type Token } from './lexer.js';
import { SEARCH_LIMITS } from './limits.js';
import { compileRegex, RegexSyntaxProblem } from './regex.js';

const NUMERIC_COMPARATORS: readonly Comparator[] = ['=', '!=', '<', '<=', '>', '>='];
const STRING_ATTRIBUTE_COMPARATORS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE', 'RLIKE', 'IN', 'NOT IN'];
const ASSESSMENT_COMPARATORS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE', 'RLIKE', 'IS NULL', 'IS NOT NULL'];
/** Tags and metadata: MLflow's set plus IN / NOT IN, a tracewright extension equal to the OR / AND of `=` / `!=`. */
const KEY_VALUE_COMPARATORS: readonly Comparator[] = [...ASSESSMENT_COMPARATORS, 'IN', 'NOT IN'];
const SPAN_FIELD_COMPARATORS = STRING_ATTRIBUTE_COMPARATORS;
const SPAN_CONTENT_COMPARATORS: readonly Comparator[] = ['LIKE', 'ILIKE'];
const EQUALS_ONLY: readonly Comparator[] = ['='];
/** Attribute keys MLflow's parser lets compare with a list (the store narrows this further). */
const LIST_ATTRIBUTES = ['status', 'name', 'request_id', 'run_id', 'client_request_id'];
const NUMERIC_KEYS = Object.keys(NUMERIC_ATTRIBUTES);

/** Parses and validates a filter string. The empty / blank filter parses to `{ kind: 'all' }`. */
export function parseFilter(filter: string): FilterExpression {
  if (typeof filter !== 'string') {
    throw new TypeError(`parseFilter(filter): filter must be a string, got ${filter === null ? 'null' : typeof filter}`);
  }
  if (filter.length > SEARCH_LIMITS.maxFilterLength) {
    const at = SEARCH_LIMITS.maxFilterLength;
    throw new FilterSyntaxError(
      `Filter too long: ${filter.length} characters, the limit is ${SEARCH_LIMITS.maxFilterLength}`,
      filter,
      at,
      filter.slice(at, at + 20),
    );
  }
  return new Parser(filter).parseFilter();
}

type ParsedComparator = { comparator: string; token: Token };

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  /** `(` and `NOT` levels around the current position. */
  private depth = 0;
  private comparisons = 0;

  constructor(private readonly input: string) {
    this.tokens = tokenize(input);
  }

  parseFilter(): FilterExpression {
    if (this.peek().kind === 'end') return { kind: 'all' };
    const expression = this.parseOr();
    const rest = this.peek();
    if (rest.kind === ')') this.fail(`Unbalanced ')': no '(' to close`, rest);
    if (rest.kind !== 'end') this.invalidClause(rest);
    return expression;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }
  private next(): Token {
    return this.tokens[this.index++]!;
  }
  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === 'keyword' && token.value === keyword;
  }
  private fail(reason: string, token: Token): never {
    throw new FilterSyntaxError(reason, this.input, token.start, token.text);
  }
  private invalidClause(token: Token): never {
    if (token.kind === 'end') {
      this.fail("Invalid clause(s) in filter string: unexpected end of filter, expected a comparison such as trace.status = 'OK'", token);
    }
    this.fail(`Invalid clause(s) in filter string: '${token.text}'`, token);
  }

  private parseOr(): FilterExpression {
    const operands = [this.parseAnd()];
    while (this.isKeyword(this.peek(), 'OR')) {
      this.next();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  private parseAnd(): FilterExpression {
    this.skipAnds();
    const operands = [this.parseUnary()];
    while (this.isKeyword(this.peek(), 'AND')) {
      this.skipAnds();
      // MLflow tolerates a trailing or doubled AND.
      if (!this.startsTerm(this.peek())) break;
      operands.push(this.parseUnary());
    }
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  private skipAnds(): void {
    while (this.isKeyword(this.peek(), 'AND')) this.next();
  }

  private startsTerm(token: Token): boolean {
    return token.kind === 'identifier' || token.kind === '(' || this.isKeyword(token, 'NOT');
  }

  private parseUnary(): FilterExpression {
    const token = this.peek();
    if (this.isKeyword(token, 'NOT')) {
      this.next();
      this.enter(token);
      const operand = this.parseUnary();
      this.depth--;
      return { kind: 'not', operand };
    }
    if (token.kind === '(') {
      this.next();
      this.enter(token);
      if (this.peek().kind === ')') this.fail('Empty parentheses: expected a filter expression inside', this.peek());
      const inner = this.parseOr();
      if (this.peek().kind !== ')') {
        const at = this.peek();
        if (at.kind === 'end') this.fail(`Missing ')' to close the '(' at position ${token.start}`, at);
        this.invalidClause(at);
      }
      this.next();
      this.depth--;
      return inner;
    }
    return this.parseComparison();
  }

  private enter(token: Token): void {
    if (++this.depth > SEARCH_LIMITS.maxNestingDepth) {
      this.fail(`Filter nests too deeply: more than ${SEARCH_LIMITS.maxNestingDepth} levels of '(' and NOT`, token);
    }
  }

  private parseComparison(): FilterComparison {
    const identifierToken = this.next();
    if (identifierToken.kind !== 'identifier') this.invalidClause(identifierToken);
    if (++this.comparisons > SEARCH_LIMITS.maxComparisons) {
      this.fail(`Filter has too many comparisons: more than ${SEARCH_LIMITS.maxComparisons}`, identifierToken);
    }
    const resolved = resolveFilterIdentifier(identifierToken, this.input);
    const { comparator, token: comparatorToken } = this.parseComparator();
    const value = this.parseValue(resolved, comparator, comparatorToken);
    this.checkComparator(resolved, comparator, comparatorToken, identifierToken);
    if (resolved.entity === 'prompt') this.checkPromptValue(value as string, comparatorToken);
    if (comparator === 'RLIKE') this.checkRegex(value as string, comparatorToken);
    return {
      kind: 'comparison',
      entity: resolved.entity,
      key: resolved.key,
      comparator: comparator as Comparator,
      value,
      identifier: identifierToken.text,
      position: identifierToken.start,
    };
  }

  /** Returns the comparator in canonical upper case; `==` and `<>` pass here and are rejected per type, as by MLflow's store. */
  private parseComparator(): ParsedComparator {
    const token = this.next();
    if (token.kind === 'operator') return { comparator: token.value, token };
    if (token.kind === 'keyword') {
      switch (token.value) {
        case 'IN':
        case 'LIKE':
        case 'ILIKE':
        case 'RLIKE':
          return { comparator: token.value, token };
        case 'NOT':
          if (this.isKeyword(this.peek(), 'IN')) {
            this.next();
            return { comparator: 'NOT IN', token };
          }
          break;
        case 'IS': {
          const negated = this.isKeyword(this.peek(), 'NOT');
          if (negated) this.next();
          if (!this.isKeyword(this.peek(), 'NULL')) this.invalidClause(this.peek());
          this.next();
          return { comparator: negated ? 'IS NOT NULL' : 'IS NULL', token };
        }
      }
    }
    return this.invalidClause(token);
  }

  private parseValue(id: ResolvedIdentifier, comparator: string, comparatorToken: Token): FilterValue {
    if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') return null;
    if (comparator === 'IN' || comparator === 'NOT IN') return this.parseList(id, comparatorToken);
    const token = this.next();
    switch (token.kind) {
      case 'string':
        if (id.entity === 'attribute' && NUMERIC_KEYS.includes(id.key)) return this.numericFromString(token);
        return token.value;
      case 'number':
        return this.numberValue(id, token);
      case 'identifier':
        return this.fail(
          `Parameter value is either not quoted or unidentified quote types used for string value ${token.text}. Use either single or double quotes.`,
          token,
        );
      case 'keyword':
        if (token.value === 'NULL') this.fail(`Use IS NULL / IS NOT NULL to test for a missing value, not '${comparator} NULL'`, token);
        return this.invalidClause(token);
      case 'end':
        return this.fail(`Invalid clause(s) in filter string: '${comparatorToken.text}' is missing its value`, token);
      default:
        return this.invalidClause(token);
    }
  }

  private numberValue(id: ResolvedIdentifier, token: Token): number {
    if (id.entity === 'attribute') {
      if (!NUMERIC_KEYS.includes(id.key)) {
        this.fail(`Only the '${pySet(NUMERIC_KEYS)}' attributes support comparison with numeric values.`, token);
      }
      return Number(token.value);
    }
    const what = id.entity === 'metadata' ? 'request_metadata' : id.entity;
    return this.fail(`Expected a quoted string value for ${what} (e.g. 'my-value'). Got value ${token.text}`, token);
  }

  /** A quoted number on a numeric key: MLflow lets the database cast it; we cast it here. */
  private numericFromString(token: Token): number {
    const n = token.value.trim() === '' ? NaN : Number(token.value);
    if (!Number.isFinite(n)) this.fail(`Expected a numeric value (milliseconds), got '${token.value}'`, token);
    return n;
  }

  private parseList(id: ResolvedIdentifier, comparatorToken: Token): readonly string[] {
    const open = this.next();
    const listAllowed =
      (id.entity === 'attribute' && LIST_ATTRIBUTES.includes(id.key)) || id.entity === 'span' || id.entity === 'tag' || id.entity === 'metadata';
    const onlyStrings = (at: Token): never =>
      this.fail(`Only attributes in ${pySet(LIST_ATTRIBUTES)} supports comparison with a list of quoted string values.`, at);
    if (open.kind !== '(') {
      if (open.kind === 'end') this.fail(`Invalid clause(s) in filter string: '${comparatorToken.text}' is missing its list of values`, open);
      this.fail(`Expected a parenthesised list of quoted strings after ${comparatorToken.text.toUpperCase()}, e.g. ('OK', 'ERROR'); got ${open.text}`, open);
    }
    if (!listAllowed) onlyStrings(open);
    const values: string[] = [];
    for (;;) {
      const item = this.next();
      if (item.kind === ')' && values.length === 0) this.fail('Expected a non-empty list of quoted string values', item);
      if (item.kind === 'number') onlyStrings(item);
      if (item.kind !== 'string') this.invalidClause(item);
      values.push(item.value);
      const separator = this.next();
      if (separator.kind === ')') return values;
      if (separator.kind !== ',') this.invalidClause(separator);
    }
  }

  /** The per-type comparator sets of MLflow's SQL store (spec B.3, B.4). */
  private checkComparator(id: ResolvedIdentifier, comparator: string, at: Token, identifier: Token): void {
    const reject = (valid: readonly Comparator[], subject?: string): void => {
      if ((valid as readonly string[]).includes(comparator)) return;
      const set = pySet(valid);
      this.fail(subject ? `${subject} comparator '${comparator}' not one of '${set}'` : `Invalid comparator '${comparator}' not one of '${set}'`, at);
    };
    switch (id.entity) {
      case 'attribute':
        return reject(NUMERIC_KEYS.includes(id.key) ? NUMERIC_COMPARATORS : STRING_ATTRIBUTE_COMPARATORS);
      case 'tag':
      case 'metadata':
        return reject(KEY_VALUE_COMPARATORS);
      case 'span':
        if (id.key === 'content') return reject(SPAN_CONTENT_COMPARATORS, 'span.content');
        return reject(SPAN_FIELD_COMPARATORS, `span.${id.key}`);
      case 'feedback':
      case 'expectation':
        return reject(ASSESSMENT_COMPARATORS, `assessment.${id.key}`);
      case 'issue':
        return reject(EQUALS_ONLY, 'issue.id');
      case 'prompt':
        if (comparator !== '=') {
          this.fail(`Invalid comparator '${comparator}' for prompts filter. Only '=' is supported with format: prompt = "name/version"`, at);
        }
        return;
      default:
        this.invalidClause(identifier);
    }
  }

  private checkPromptValue(value: string, at: Token): void {
    const parts = value.split('/');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      this.fail(`Invalid prompt filter value '${value}'. Expected format: prompt = "name/version"`, this.valueTokenAfter(at));
    }
  }

  /** RE2 syntax (regex.ts); the error points at the offending part of the pattern, inside the quotes. */
  private checkRegex(pattern: string, at: Token): void {
    try {
      compileRegex(pattern, SEARCH_LIMITS.maxRegexInstructions);
    } catch (error) {
      if (!(error instanceof RegexSyntaxProblem)) throw error;
      const value = this.valueTokenAfter(at);
      const fragment = error.fragment || value.text;
      const start = error.fragment ? value.start + 1 + error.offset : value.start;
      throw new FilterSyntaxError(`Invalid regular expression for RLIKE: ${error.reason}`, this.input, start, fragment);
    }
  }

  private valueTokenAfter(comparatorToken: Token): Token {
    return this.tokens[this.tokens.indexOf(comparatorToken) + 1]!;
  }
}
