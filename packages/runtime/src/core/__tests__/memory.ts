import { afterEach, beforeEach } from 'vitest';
import { enableTracing, setDestination, setSamplingRatio } from '../../api/control.js';
import { setDiagnosticLogger, resetTracingDiagnostics } from '../diagnostics.js';
import { InMemoryDestination } from '../../export/in-memory.js';
import type { Trace } from '../../model/trace.js';
import type { Span } from '../../model/span.js';
import { shortStatusCode } from '../../model/span-status.js';

/** Routes traces of each test into a fresh in-memory destination. */
export function useMemoryDestination(): InMemoryDestination {
  const memory = new InMemoryDestination();
  beforeEach(() => {
    memory.clear();
    setDestination(memory);
    enableTracing();
    setSamplingRatio(1);
    resetTracingDiagnostics();
    setDiagnosticLogger(null);
  });
  afterEach(() => {
    setDestination(undefined);
    setDiagnosticLogger((m) => console.warn(m));
  });
  return memory;
}

export interface SpanNode {
  name: string;
  type: string;
  inputs?: unknown;
  outputs?: unknown;
  status: string;
  children: SpanNode[];
}

/** The span tree of a trace in a compact, comparable form (children in start order). */
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

/** Same tree without inputs/outputs: names, types, statuses, nesting. */
export function shape(trace: Trace): unknown {
  const strip = (n: SpanNode): unknown => ({ name: n.name, type: n.type, status: n.status, children: n.children.map(strip) });
  return strip(tree(trace));
}
