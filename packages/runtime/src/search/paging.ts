/**
 * Page tokens and page sizes (spec B.7). A token is base64 JSON `{"offset": N}` like
 * MLflow's, plus an optional `context` (a digest of the query) so that a token issued for one
 * search is refused by another instead of silently skipping rows.
 */
import { FilterSyntaxError } from './errors.js';

export const DEFAULT_MAX_RESULTS = 100;
/** MLflow's SEARCH_MAX_RESULTS_THRESHOLD. */
export const MAX_RESULTS_THRESHOLD = 50_000;

export function encodePageToken(offset: number, context?: string): string {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`page token offset must be a non-negative integer, got ${offset}`);
  const body = context === undefined ? { offset } : { offset, context };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Offset of a token from encodePageToken (or MLflow's `{"offset": N}` tokens). With a
 * `context`, a token carrying a different context is refused; a token without one is
 * accepted (MLflow-issued tokens have none).
 */
export function decodePageToken(token: string, context?: string): number {
  const bad = (reason: string): never => {
    throw new FilterSyntaxError(reason, String(token), 0, String(token), 'page token');
  };
  if (typeof token !== 'string' || token === '' || !BASE64.test(token)) return bad('Invalid page token, could not base64-decode');
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    return bad('Invalid page token, could not base64-decode to JSON');
  }
  const offset = (body as { offset?: unknown } | null)?.offset;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    return bad(`Invalid page token, decoded value=${JSON.stringify(body)} has no non-negative integer "offset"`);
  }
  const tokenContext = (body as { context?: unknown }).context;
  if (context !== undefined && tokenContext !== undefined && tokenContext !== context) {
    return bad('Invalid page token: it was issued for a different search (filter, order_by or experiments changed)');
  }
  return offset;
}

/** Page size: default 100; MLflow rejects < 1 and > 50000 with these messages. */
export function validateMaxResults(n: number | undefined): number {
  if (n === undefined) return DEFAULT_MAX_RESULTS;
  const fail = (reason: string): never => {
    throw new FilterSyntaxError(reason, String(n), 0, String(n), 'max_results');
  };
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    return fail(`Invalid value ${String(n)} for parameter 'max_results' supplied. It must be a positive integer`);
  }
  if (n > MAX_RESULTS_THRESHOLD) {
    return fail(`Invalid value ${n} for parameter 'max_results' supplied. It must be at most ${MAX_RESULTS_THRESHOLD}`);
  }
  return n;
}

/** The context digest for page tokens of one search: FNV-1a over filter, order_by and experiments. */
export function pageTokenContext(query: { filterString?: string; orderBy?: readonly string[]; experimentIds?: readonly string[] }): string {
  const text = JSON.stringify([query.filterString ?? '', query.orderBy ?? [], query.experimentIds ? [...query.experimentIds].sort() : null]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
