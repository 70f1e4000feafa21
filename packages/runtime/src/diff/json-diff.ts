/** Structural differences between two JSON values, as `$.a.b[2]`-style paths. */

export interface ValueChange {
  /** JSON path inside the compared value, `$` for the whole value. */
  path: string;
  /** absent (undefined) when the key was added */
  before?: unknown;
  /** absent (undefined) when the key was removed */
  after?: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_CHANGES = 200;
const MAX_DEPTH = 64;

/** Differences between `a` and `b` (at most 200; deeper than 64 levels compared whole). */
export function jsonDiff(a: unknown, b: unknown): ValueChange[] {
  const out: ValueChange[] = [];
  walk(a, b, '$', 0, out);
  return out;
}

function key(path: string, k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
}

function push(out: ValueChange[], change: ValueChange): void {
  if (out.length < MAX_CHANGES) out.push(change);
}

function walk(a: unknown, b: unknown, path: string, depth: number, out: ValueChange[]): void {
  if (out.length >= MAX_CHANGES) return;
  if (Object.is(a, b)) return;
  if (depth < MAX_DEPTH && Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (i >= a.length) push(out, { path: `${path}[${i}]`, after: b[i] });
      else if (i >= b.length) push(out, { path: `${path}[${i}]`, before: a[i] });
      else walk(a[i], b[i], `${path}[${i}]`, depth + 1, out);
    }
    return;
  }
  if (depth < MAX_DEPTH && isPlainObject(a) && isPlainObject(b)) {
    for (const k of Object.keys(a)) {
      if (!Object.hasOwn(b, k)) push(out, { path: key(path, k), before: a[k] });
      else walk(a[k], b[k], key(path, k), depth + 1, out);
    }
    for (const k of Object.keys(b)) if (!Object.hasOwn(a, k)) push(out, { path: key(path, k), after: b[k] });
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const change: ValueChange = { path };
  if (a !== undefined) change.before = a;
  if (b !== undefined) change.after = b;
  push(out, change);
}
