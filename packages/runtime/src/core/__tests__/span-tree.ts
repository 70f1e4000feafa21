/**
 * A trace's span tree in a compact, comparable form, without test-runner imports: used by the
 * vitest helpers (memory.ts) and by test programmes run as child processes.
 */
import type { Trace } from '../../model/trace.js';
import type { Span } from '../../model/span.js';
import { shortStatusCode } from '../../model/span-status.js';

export interface SpanNode {
  name: string;
  type: string;
  inputs?: unknown;
  outputs?: unknown;
  status: string;
  children: SpanNode[];
}

/** The span tree of a trace (children in start order). */
export function tree(trace: Trace): SpanNode {
  const node = (span: Span): SpanNode => {
    const n: SpanNode = { name: span.name, type: span.spanType, status: shortStatusCode(span.status.statusCode), children: [] };
    if (span.inputs !== undefined) n.inputs = span.inputs;
    if (span.outputs !== undefined) n.outputs = span.outputs;
    n.children = trace.data.spans
      .filter((c) => c.parentId === span.spanId)
      .sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1))
      .map(node);
    return n;
  };
  const root = trace.data.spans.find((s) => !s.parentId);
  if (!root) throw new Error('trace has no root span');
  return node(root);
}
