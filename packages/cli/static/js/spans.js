// MLflow span JSON → span models arranged as a tree.

import { decode } from './format.js';

export function spanModel(raw) {
  const attrs = {};
  for (const [k, v] of Object.entries(raw.attributes ?? {})) attrs[k] = decode(v);
  const start = BigInt(raw.start_time_unix_nano ?? 0);
  const end = raw.end_time_unix_nano === null || raw.end_time_unix_nano === undefined ? null : BigInt(raw.end_time_unix_nano);
  return {
    id: raw.span_id,
    parent: raw.parent_span_id || null,
    name: String(raw.name),
    type: typeof attrs['mlflow.spanType'] === 'string' ? attrs['mlflow.spanType'] : 'UNKNOWN',
    start,
    end,
    durationMs: end === null ? null : Number(end - start) / 1e6,
    status: raw.status ?? {},
    attrs,
    events: raw.events ?? [],
    children: [],
  };
}

export function buildTree(spans) {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const roots = [];
  for (const s of spans) {
    const parent = s.parent ? byId.get(s.parent) : undefined;
    if (parent) parent.children.push(s);
    else roots.push(s);
  }
  const order = (a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);
  for (const s of spans) s.children.sort(order);
  return roots.sort(order);
}

export function statusCode(status) {
  return String(status?.code ?? 'UNSET').replace('STATUS_CODE_', '');
}
