/**
 * Inverted index for the lookups searches are made of: `metadata.<user/session/run/model> = 'v'`
 * and `tags.<any> = 'v'` (trace name included, MLflow rewrites `name` to its tag). A filter whose
 * top-level conjunction contains such an equality is evaluated only on that posting list (the
 * smallest one, when several apply) instead of on every trace; the compiled filter is still
 * applied to each candidate, so postings only ever need to be a superset of the matches.
 *
 * Lists are append-only; entries of deleted/forgotten traces are dropped lazily when a list is
 * read (the caller's liveness check), which keeps deletion O(1).
 */
import { TraceMetadataKey } from '../model/constants.js';
import type { FilterExpression } from '../search/index.js';

/** Metadata keys worth a posting list (high-selectivity lookups); every tag key gets one. */
const INDEXED_METADATA: ReadonlySet<string> = new Set([
  TraceMetadataKey.TRACE_USER,
  TraceMetadataKey.TRACE_SESSION,
  TraceMetadataKey.SOURCE_RUN,
  TraceMetadataKey.MODEL_ID,
]);

const postingKey = (entity: 'm' | 't', key: string, value: string) => `${entity}\u0000${key}\u0000${value}`;

export class Postings<T extends { readonly info: { traceMetadata: Record<string, string>; tags: Record<string, string> } }> {
  private readonly lists = new Map<string, T[]>();

  add(item: T): void {
    const { traceMetadata, tags } = item.info;
    for (const key of INDEXED_METADATA) {
      const v = traceMetadata[key];
      if (typeof v === 'string') this.push(postingKey('m', key, v), item);
    }
    for (const key in tags) {
      const v = tags[key];
      if (typeof v === 'string') this.push(postingKey('t', key, v), item);
    }
  }

  private push(key: string, item: T): void {
    const list = this.lists.get(key);
    if (list) list.push(item);
    else this.lists.set(key, [item]);
  }

  /**
   * The live candidates for `filter`, or undefined when the filter has no indexed equality in its
   * top-level conjunction (the caller then scans everything).
   */
  candidates(filter: FilterExpression, isLive: (item: T) => boolean): readonly T[] | undefined {
    let best: string | undefined;
    let bestSize = Infinity;
    for (const key of indexedEqualities(filter)) {
      const size = this.lists.get(key)?.length ?? 0;
      if (size < bestSize) {
        best = key;
        bestSize = size;
      }
    }
    if (best === undefined) return undefined;
    const list = this.lists.get(best);
    if (!list) return [];
    let live = 0;
    for (const item of list) if (isLive(item)) list[live++] = item;
    list.length = live;
    if (live === 0) this.lists.delete(best);
    return list;
  }
}

/** Posting keys of `metadata.k = 'v'` / `tags.k = 'v'` clauses every match must satisfy. */
function indexedEqualities(e: FilterExpression): string[] {
  if (e.kind === 'and') return e.operands.flatMap(indexedEqualities);
  if (e.kind !== 'comparison' || e.comparator !== '=' || typeof e.value !== 'string') return [];
  if (e.entity === 'tag') return [postingKey('t', e.key, e.value)];
  if (e.entity === 'metadata' && INDEXED_METADATA.has(e.key)) return [postingKey('m', e.key, e.value)];
  return [];
}
