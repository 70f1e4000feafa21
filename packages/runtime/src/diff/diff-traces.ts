/**
 * Compares two traces of the same program (before/after a change, two runs of one question).
 * Spans are matched by their path of names from the root; among siblings with the same name
 * (a loop, repeated tool calls) the k-th call in A is matched with the k-th in B, in start
 * order — so one extra iteration shows as one added span, not as every later call changed.
 * For matched spans it reports changed inputs, outputs, attributes, status and span type,
 * plus duration and token deltas (reported separately: they differ between any two runs).
 */
import { SpanAttributeKey } from '../model/constants.js';
import { decodeAttribute, type Span, type TokenUsage } from '../model/span.js';
import type { Trace } from '../model/trace.js';
import { jsonDiff, type ValueChange } from './json-diff.js';

export type SpanDiffStatus = 'same' | 'changed' | 'added' | 'removed';

export interface FieldChange extends ValueChange {
  /** `inputs`, `outputs`, `status`, `spanType`, `name`, or `attributes.<key>` */
  field: string;
}

export interface NumberDelta {
  a: number | null;
  b: number | null;
  /** b − a, null when either side is missing */
  delta: number | null;
}

export interface SpanDiff {
  /** names from the root, `/`-separated; `[k]` marks the k-th (0-based) sibling of that name when there are several */
  path: string;
  depth: number;
  status: SpanDiffStatus;
  spanIdA?: string;
  spanIdB?: string;
  changes: FieldChange[];
  durationMs: NumberDelta;
  totalTokens: NumberDelta;
}

export interface TraceDiff {
  traceIdA: string;
  traceIdB: string;
  durationMs: NumberDelta;
  totalTokens: NumberDelta;
  /** depth-first, A's order, with added spans at their place in B */
  spans: SpanDiff[];
  summary: { same: number; changed: number; added: number; removed: number };
}

/** Attributes that differ between any two runs by construction (ids), never reported. */
const IGNORED_ATTRIBUTES = new Set<string>([SpanAttributeKey.TRACE_ID]);
/** Reported as their own fields (inputs/outputs/spanType) or as deltas (tokens). */
const OWN_FIELDS = new Set<string>([SpanAttributeKey.INPUTS, SpanAttributeKey.OUTPUTS, SpanAttributeKey.SPAN_TYPE, SpanAttributeKey.TOKEN_USAGE]);

function delta(a: number | null | undefined, b: number | null | undefined): NumberDelta {
  const x = a ?? null;
  const y = b ?? null;
  return { a: x, b: y, delta: x === null || y === null ? null : Math.round((y - x) * 1000) / 1000 };
}

function tokensOf(span: Span): number | null {
  const usage = decodeAttribute(span.encodedAttributes[SpanAttributeKey.TOKEN_USAGE]) as TokenUsage | undefined;
  return typeof usage?.total_tokens === 'number' ? usage.total_tokens : null;
}

function traceTokens(t: Trace): number | null {
  const raw = t.info.traceMetadata['mlflow.trace.tokenUsage'];
  if (raw) {
    try {
      const total = (JSON.parse(raw) as TokenUsage).total_tokens;
      if (typeof total === 'number') return total;
    } catch {
      // fall back to the spans
    }
  }
  let sum: number | null = null;
  for (const s of t.data.spans) {
    const n = tokensOf(s);
    if (n !== null) sum = (sum ?? 0) + n;
  }
  return sum;
}

interface Tree {
  roots: Span[];
  children: Map<string, Span[]>;
}

function treeOf(t: Trace): Tree {
  const ids = new Set(t.data.spans.map((s) => s.spanId));
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const s of t.data.spans) {
    // A span whose parent is missing (partial trace) is treated as a root.
    if (s.parentId && ids.has(s.parentId)) {
      const list = children.get(s.parentId);
      if (list) list.push(s);
      else children.set(s.parentId, [s]);
    } else roots.push(s);
  }
  const byStart = (x: Span, y: Span) => (x.startTimeUnixNano < y.startTimeUnixNano ? -1 : x.startTimeUnixNano > y.startTimeUnixNano ? 1 : 0);
  roots.sort(byStart);
  for (const list of children.values()) list.sort(byStart);
  return { roots, children };
}

function compareSpans(a: Span, b: Span): FieldChange[] {
  const changes: FieldChange[] = [];
  const add = (field: string, before: unknown, after: unknown) => {
    for (const c of jsonDiff(before, after)) changes.push({ field, ...c });
  };
  add('inputs', a.inputs, b.inputs);
  add('outputs', a.outputs, b.outputs);
  if (a.spanType !== b.spanType) changes.push({ field: 'spanType', path: '$', before: a.spanType, after: b.spanType });
  if (a.status.statusCode !== b.status.statusCode || a.status.description !== b.status.description) {
    changes.push({ field: 'status', path: '$', before: a.status, after: b.status });
  }
  const [ea, eb] = [a.encodedAttributes, b.encodedAttributes];
  const keys = new Set([...Object.keys(ea), ...Object.keys(eb)]);
  for (const k of [...keys].sort()) {
    if (IGNORED_ATTRIBUTES.has(k) || OWN_FIELDS.has(k)) continue;
    if (ea[k] === eb[k]) continue;
    add(`attributes.${k}`, decodeAttribute(ea[k]), decodeAttribute(eb[k]));
  }
  return changes;
}

/**
 * Pairs siblings by name, the k-th of a name in A with the k-th in B. Pairs come in A's
 * order; a span only B has is placed right after its preceding sibling in B.
 */
function pairSiblings(as: Span[], bs: Span[]): Array<{ a?: Span; b?: Span; label: string }> {
  const occurrences = (list: Span[]) => {
    const total = new Map<string, number>();
    const rank = new Map<Span, number>();
    for (const s of list) {
      const k = total.get(s.name) ?? 0;
      rank.set(s, k);
      total.set(s.name, k + 1);
    }
    return { total, rank };
  };
  const A = occurrences(as);
  const B = occurrences(bs);
  const label = (s: Span, k: number) => ((A.total.get(s.name) ?? 0) > 1 || (B.total.get(s.name) ?? 0) > 1 ? `${s.name}[${k}]` : s.name);
  const bByKey = new Map<string, Span>();
  for (const s of bs) bByKey.set(`${B.rank.get(s)}\u0000${s.name}`, s);
  const out: Array<{ a?: Span; b?: Span; label: string }> = [];
  const matched = new Set<Span>();
  for (const s of as) {
    const k = A.rank.get(s)!;
    const partner = bByKey.get(`${k}\u0000${s.name}`);
    if (partner) matched.add(partner);
    out.push(partner ? { a: s, b: partner, label: label(s, k) } : { a: s, label: label(s, k) });
  }
  let previous: Span | undefined;
  for (const s of bs) {
    if (!matched.has(s)) {
      const at = previous === undefined ? 0 : out.findIndex((p) => p.b === previous) + 1;
      out.splice(at, 0, { b: s, label: label(s, B.rank.get(s)!) });
    }
    previous = s;
  }
  return out;
}

export function diffTraces(a: Trace, b: Trace): TraceDiff {
  if (!a?.info || !a.data || !b?.info || !b.data) throw new TypeError('diffTraces(a, b): expected two traces (as returned by getTrace / searchTraces)');
  const ta = treeOf(a);
  const tb = treeOf(b);
  const spans: SpanDiff[] = [];
  const visit = (as: Span[], bs: Span[], prefix: string, depth: number) => {
    for (const { a: sa, b: sb, label } of pairSiblings(as, bs)) {
      const path = prefix ? `${prefix}/${label}` : label;
      const status: SpanDiffStatus = !sa ? 'added' : !sb ? 'removed' : 'same';
      const changes = sa && sb ? compareSpans(sa, sb) : [];
      const d: SpanDiff = {
        path,
        depth,
        status: status === 'same' && changes.length > 0 ? 'changed' : status,
        changes,
        durationMs: delta(sa?.durationMs, sb?.durationMs),
        totalTokens: delta(sa ? tokensOf(sa) : null, sb ? tokensOf(sb) : null),
      };
      if (sa) d.spanIdA = sa.spanId;
      if (sb) d.spanIdB = sb.spanId;
      spans.push(d);
      visit(sa ? (ta.children.get(sa.spanId) ?? []) : [], sb ? (tb.children.get(sb.spanId) ?? []) : [], path, depth + 1);
    }
  };
  visit(ta.roots, tb.roots, '', 0);
  const summary = { same: 0, changed: 0, added: 0, removed: 0 };
  for (const s of spans) summary[s.status]++;
  return {
    traceIdA: a.info.traceId,
    traceIdB: b.info.traceId,
    durationMs: delta(a.info.executionDuration, b.info.executionDuration),
    totalTokens: delta(traceTokens(a), traceTokens(b)),
    spans,
    summary,
  };
}
