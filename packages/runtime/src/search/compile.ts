/**
 * AST → closures. Everything that depends only on the filter (getters, matchers, regexes,
 * sets) is built once here; evaluating a trace is a chain of closure calls, no AST walk.
 *
 * Span rule (MLflow's): the span predicates joined by AND in one conjunction must all hold
 * for the SAME span. tracewright extends it to parenthesised groups made only of span
 * predicates (AND / OR inside them is evaluated per span too). NOT is trace-level:
 * `NOT span.type = 'LLM'` means "no LLM span".
 */
import { spanToJsonText } from '../model/json.js';
import { decodeAttribute, type Span } from '../model/span.js';
import { shortStatusCode } from '../model/span-status.js';
import type { TraceInfo } from '../model/trace.js';
import type { FilterComparison, FilterExpression } from './ast.js';
import { assessmentValues, issueIds, linkedPrompts, valueForms } from './assessments.js';
import { SPAN_ATTRIBUTE_PREFIX } from './identifiers.js';
import { parseFilter } from './parser.js';
import { likeMatcher, numberTest, stringTest, type StringTest } from './string-match.js';

/** What a predicate sees. `spans` is called only when a span-level or full-text predicate needs span data (stores load bodies lazily). */
export interface SearchableTrace {
  info: TraceInfo;
  spans?: () => readonly Span[];
  /** Session-level assessments of other traces of this trace's session (they count as its own in `feedback.*` / `expectation.*`). */
  sessionAssessments?: readonly unknown[];
}
export type TracePredicate = (trace: SearchableTrace) => boolean;
type SpanPredicate = (span: Span) => boolean;

const ALWAYS: TracePredicate = () => true;
const NO_SPANS: readonly Span[] = [];

/** Compiles a filter string into a predicate; undefined or blank → matches everything. */
export function compileFilter(filter: string | undefined): TracePredicate {
  if (filter === undefined) return ALWAYS;
  const expression = parseFilter(filter);
  const predicate = compileExpression(expression);
  return readsSpans(expression) ? loadingSpansOnce(predicate) : predicate;
}

/** Several span tests in one filter (`span.a OR (tags.x = 'y' AND span.b)`) share one `spans()` call per trace. */
function loadingSpansOnce(predicate: TracePredicate): TracePredicate {
  return (t) => {
    const load = t.spans;
    if (!load) return predicate(t);
    let spans: readonly Span[] | undefined;
    return predicate({ info: t.info, spans: () => (spans ??= load()), sessionAssessments: t.sessionAssessments });
  };
}

/** True if the filter reads span data (span.*, trace.text): callers must provide `spans`. */
export function needsSpans(filter: string | undefined): boolean {
  if (filter === undefined || filter.trim() === '') return false;
  return readsSpans(parseFilter(filter));
}

export function compileExpression(expression: FilterExpression): TracePredicate {
  if (isSpanOnly(expression)) return anySpan(compileSpanExpression(expression));
  switch (expression.kind) {
    case 'all':
      return ALWAYS;
    case 'comparison':
      return compileTraceComparison(expression);
    case 'not': {
      const inner = compileExpression(expression.operand);
      return (t) => !inner(t);
    }
    case 'or':
      return anyOf(expression.operands.map(compileExpression));
    case 'and': {
      const spanOperands = expression.operands.filter(isSpanOnly);
      // Trace-level tests first: they are cheap and spare loading span bodies.
      const others = expression.operands.filter((o) => !isSpanOnly(o));
      const ordered = [...others.filter((o) => !readsSpans(o)), ...others.filter(readsSpans)];
      const predicates = ordered.map(compileExpression);
      if (spanOperands.length > 0) predicates.push(anySpan(allOf(spanOperands.map(compileSpanExpression))));
      return allOf(predicates);
    }
  }
}

function readsSpans(e: FilterExpression): boolean {
  switch (e.kind) {
    case 'comparison':
      return e.entity === 'span';
    case 'not':
      return readsSpans(e.operand);
    case 'and':
    case 'or':
      return e.operands.some(readsSpans);
    default:
      return false;
  }
}

function isSpanOnly(e: FilterExpression): boolean {
  if (e.kind === 'comparison') return e.entity === 'span';
  if (e.kind === 'and' || e.kind === 'or') return e.operands.every(isSpanOnly);
  return false;
}

function allOf<T>(predicates: ((x: T) => boolean)[]): (x: T) => boolean {
  if (predicates.length === 1) return predicates[0]!;
  if (predicates.length === 2) {
    const [a, b] = predicates as [(x: T) => boolean, (x: T) => boolean];
    return (x) => a(x) && b(x);
  }
  return (x) => {
    for (const p of predicates) if (!p(x)) return false;
    return true;
  };
}

function anyOf<T>(predicates: ((x: T) => boolean)[]): (x: T) => boolean {
  if (predicates.length === 1) return predicates[0]!;
  if (predicates.length === 2) {
    const [a, b] = predicates as [(x: T) => boolean, (x: T) => boolean];
    return (x) => a(x) || b(x);
  }
  return (x) => {
    for (const p of predicates) if (p(x)) return true;
    return false;
  };
}

function anySpan(test: SpanPredicate): TracePredicate {
  return (t) => {
    const spans = t.spans ? t.spans() : NO_SPANS;
    for (let i = 0; i < spans.length; i++) if (test(spans[i]!)) return true;
    return false;
  };
}

// ---------- trace-level comparisons ----------

function compileTraceComparison(c: FilterComparison): TracePredicate {
  switch (c.entity) {
    case 'attribute':
      return compileAttribute(c);
    case 'tag':
    case 'metadata':
      return compileKeyValue(c);
    case 'feedback':
    case 'expectation':
      return compileAssessment(c, c.entity);
    case 'issue': {
      const id = c.value as string;
      return (t) => issueIds(t.info).includes(id);
    }
    case 'prompt': {
      const [name, version] = (c.value as string).split('/') as [string, string];
      return (t) => linkedPrompts(t.info).some((p) => p.name === name && p.version === version);
    }
    case 'span':
      return anySpan(compileSpanComparison(c));
  }
}

function compileAttribute(c: FilterComparison): TracePredicate {
  if (typeof c.value === 'number') {
    const test = numberTest(c.comparator, c.value);
    switch (c.key) {
      case 'timestamp_ms':
        return (t) => test(t.info.requestTime);
      case 'execution_time_ms':
        return (t) => test(t.info.executionDuration);
      default: // end_time_ms: MLflow computes timestamp_ms + coalesce(execution_time_ms, 0)
        return (t) => test(t.info.requestTime + (t.info.executionDuration ?? 0));
    }
  }
  const test = stringTest(c.comparator, c.value);
  switch (c.key) {
    case 'status':
      return (t) => test(t.info.state);
    case 'request_id':
      return (t) => test(t.info.traceId);
    default: // client_request_id
      return (t) => test(t.info.clientRequestId);
  }
}

function compileKeyValue(c: FilterComparison): TracePredicate {
  const key = c.key;
  const isTag = c.entity === 'tag';
  if (c.comparator === '=') {
    // The hot path of session/user lookups: one property read and a compare. A non-string
    // (e.g. an inherited `constructor`) can never equal the string value.
    const expected = c.value as string;
    return isTag ? (t) => t.info.tags[key] === expected : (t) => t.info.traceMetadata[key] === expected;
  }
  const test = stringTest(c.comparator, c.value as string | null);
  return isTag ? (t) => test(ownString(t.info.tags, key)) : (t) => test(ownString(t.info.traceMetadata, key));
}

/** The map's value for `key`; inherited members (`constructor`...) are never strings, so need no own-check. */
function ownString(map: Record<string, string>, key: string): string | undefined {
  const v = map[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * feedback / expectation: true if SOME valid assessment of that name satisfies the test
 * (SQL join semantics); IS NULL means none exists.
 */
function compileAssessment(c: FilterComparison, kind: 'feedback' | 'expectation'): TracePredicate {
  const name = c.key;
  const values = (t: SearchableTrace) => assessmentValues(t.info, kind, name, t.sessionAssessments);
  if (c.comparator === 'IS NULL') return (t) => values(t).length === 0;
  if (c.comparator === 'IS NOT NULL') return (t) => values(t).length > 0;
  const matches = formMatcher(c);
  return (t) =>
    values(t).some((value) => {
      const forms = valueForms(value);
      return forms !== undefined && matches(forms);
    });
}

/** Equality and patterns match either the text or the JSON form of the value; `!=` neither. */
function formMatcher(c: FilterComparison): (forms: [string, string]) => boolean {
  const value = c.value as string;
  if (c.comparator === '!=') return ([text, json]) => text !== value && json !== value;
  const test = stringTest(c.comparator, value);
  return ([text, json]) => test(text) || test(json);
}

// ---------- span-level comparisons ----------

function compileSpanExpression(e: FilterExpression): SpanPredicate {
  switch (e.kind) {
    case 'comparison':
      return compileSpanComparison(e);
    case 'and':
      return allOf(e.operands.map(compileSpanExpression));
    case 'or':
      return anyOf(e.operands.map(compileSpanExpression));
    default:
      throw new Error(`not a span expression: ${e.kind}`);
  }
}

function compileSpanComparison(c: FilterComparison): SpanPredicate {
  const test: StringTest = stringTest(c.comparator, c.value as string | readonly string[] | null);
  switch (c.key) {
    case 'name':
      return (s) => test(s.name);
    case 'type':
      return (s) => test(s.spanType);
    case 'status':
      return (s) => test(shortStatusCode(s.status.statusCode));
    case 'content':
      return compileContent(c);
  }
  const attribute = c.key.slice(SPAN_ATTRIBUTE_PREFIX.length);
  return (s) => test(attributeText(s, attribute));
}

/** span.content / trace.text: LIKE / ILIKE over the span's MLflow JSON (v3 dict). */
function compileContent(c: FilterComparison): SpanPredicate {
  const match = likeMatcher(c.value as string, c.comparator === 'ILIKE');
  return (s) => match(spanContent(s));
}

const contentCache = new WeakMap<Span, string>();
function spanContent(span: Span): string {
  let text = contentCache.get(span);
  if (text === undefined) {
    text = spanToJsonText(span);
    // Live spans keep changing until they end; only finished spans are safe to memoize.
    if (span.endTimeUnixNano !== null) contentCache.set(span, text);
  }
  return text;
}

/** A span attribute as text: decoded when it is a JSON string (`"gpt-4o"` → gpt-4o), else its JSON. */
function attributeText(span: Span, key: string): string | undefined {
  const raw = span.encodedAttributes[key];
  if (typeof raw !== 'string' || !Object.hasOwn(span.encodedAttributes, key)) return undefined;
  const decoded = decodeAttribute(raw);
  return typeof decoded === 'string' ? decoded : raw;
}
