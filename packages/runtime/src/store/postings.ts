/**
 * Inverted index for the lookups searches are made of: `metadata.<user/session/run/model> = 'v'`
 * and `tags.<any> = 'v'` (trace name included, MLflow rewrites `name` to its tag), and their
 * `IN ('v1', 'v2')` forms. A filter whose
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
    for (const key of Object.keys(tags)) {
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
   * The live candidates for `filter`, or undefined when the filter has no indexed lookup in its
   * top-level conjunction (the caller then scans everything). An `IN` lookup is the union of its
   * values' lists.
   */
  candidates(filter: FilterExpression, isLive: (item: T) => boolean): readonly T[] | undefined {
    let best: readonly string[] | undefined;
    let bestSize = Infinity;
    for (const keys of indexedLookups(filter)) {
      let size = 0;
      for (const key of keys) size += this.lists.get(key)?.length ?? 0;
      if (size < bestSize) {
        best = keys;
        bestSize = size;
      }
    }
    if (best === undefined) return undefined;
    if (best.length === 1) return this.live(best[0]!, isLive);
    // A trace re-indexed after a tag change may sit in two lists: keep each once.
    const union = new Set<T>();
    for (const key of new Set(best)) for (const item of this.live(key, isLive)) union.add(item);
    return [...union];
  }

  /** The list for `key` with dead entries dropped (in place). */
  private live(key: string, isLive: (item: T) => boolean): T[] {
    const list = this.lists.get(key);
    if (!list) return [];
    let live = 0;
    for (const item of list) if (isLive(item)) list[live++] = item;
    list.length = live;
    if (live === 0) this.lists.delete(key);
    return list;
  }
}

/**
 * For each `metadata.k = 'v'` / `tags.k = 'v'` / `... IN (...)` clause every match must satisfy,
 * the posting keys whose union holds all its matches.
 */
function indexedLookups(e: FilterExpression): string[][] {
  if (e.kind === 'and') return e.operands.flatMap(indexedLookups);
  if (e.kind !== 'comparison') return [];
  let values: readonly string[];
  if (e.comparator === '=' && typeof e.value === 'string') values = [e.value];
  else if (e.comparator === 'IN' && Array.isArray(e.value)) values = e.value;
  else return [];
  if (e.entity === 'tag') return [values.map((v) => postingKey('t', e.key, v))];
  if (e.entity === 'metadata' && INDEXED_METADATA.has(e.key)) return [values.map((v) => postingKey('m', e.key, v))];
  return [];
}
