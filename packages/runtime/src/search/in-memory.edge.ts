/**
 * The edge build has no trace search (the filter language, its parser and matcher are ~25 KB
 * minified, more than half of the rest): InMemoryDestination.searchTraces says so. Traces held
 * in memory are still listed (`destination.traces`) and fetched by id (`getTrace`).
 */
import type { SearchTracesOptions, TracePage } from '../export/destination.js';
import type { Trace } from '../model/trace.js';

export function searchInMemory(_traces: readonly Trace[], _options?: SearchTracesOptions): TracePage {
  throw new Error('searchTraces is not part of the edge entry of @tracewright/runtime: read destination.traces or getTrace(id), or search on Node, Bun or Deno');
}
