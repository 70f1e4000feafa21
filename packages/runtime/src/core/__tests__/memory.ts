import { afterEach, beforeEach } from 'vitest';
import { enableTracing, setDestination, setSamplingRatio } from '../../api/control.js';
import { setDiagnosticLogger, resetTracingDiagnostics } from '../diagnostics.js';
import { InMemoryDestination } from '../../export/in-memory.js';
import type { Trace } from '../../model/trace.js';
import { tree, type SpanNode } from './span-tree.js';

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

export { tree, type SpanNode } from './span-tree.js';

/** Same tree without inputs/outputs: names, types, statuses, nesting. */
export function shape(trace: Trace): unknown {
  const strip = (n: SpanNode): unknown => ({ name: n.name, type: n.type, status: n.status, children: n.children.map(strip) });
  return strip(tree(trace));
}
