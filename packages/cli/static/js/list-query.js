// The trace list's state in the URL hash, and the query it searches with.

export const PAGE_SIZE = 50;

export const SORTS = [
  ['timestamp_ms DESC', 'Newest first'],
  ['timestamp_ms ASC', 'Oldest first'],
  ['execution_time_ms DESC', 'Slowest first'],
  ['execution_time_ms ASC', 'Fastest first'],
  ['status ASC', 'Status'],
];

/**
 * /api/traces parameters. User and session go as values, not spliced into the filter: the
 * server writes their clauses (quoting is subtle: MLflow string literals have no escapes).
 */
export function listParams(state) {
  const q = new URLSearchParams({ max: String(state.size), order_by: state.order });
  for (const key of ['filter', 'user', 'session']) if (state[key].trim()) q.set(key, state[key].trim());
  return q;
}

export function hasFilter(state) {
  return Boolean(state.filter.trim() || state.user.trim() || state.session.trim());
}

export function listHash(state) {
  const q = new URLSearchParams();
  if (state.filter) q.set('filter', state.filter);
  if (state.user) q.set('user', state.user);
  if (state.session) q.set('session', state.session);
  if (state.order !== SORTS[0][0]) q.set('order', state.order);
  if (state.size !== PAGE_SIZE) q.set('size', String(state.size));
  const s = q.toString();
  return `#/${s ? '?' + s : ''}`;
}
