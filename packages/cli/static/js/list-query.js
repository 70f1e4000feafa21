// The trace list's state in the URL hash, and the MLflow filter it searches with.

export const PAGE_SIZE = 50;

export const SORTS = [
  ['timestamp_ms DESC', 'Newest first'],
  ['timestamp_ms ASC', 'Oldest first'],
  ['execution_time_ms DESC', 'Slowest first'],
  ['execution_time_ms ASC', 'Fastest first'],
  ['status ASC', 'Status'],
];

function quote(value) {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

export function combinedFilter(state) {
  const clauses = [];
  if (state.filter.trim()) clauses.push(state.filter.trim());
  if (state.user.trim()) clauses.push(`metadata.\`mlflow.trace.user\` = ${quote(state.user.trim())}`);
  if (state.session.trim()) clauses.push(`metadata.\`mlflow.trace.session\` = ${quote(state.session.trim())}`);
  if (clauses.length > 1 && /\bOR\b/i.test(state.filter)) clauses[0] = `(${clauses[0]})`;
  return clauses.join(' AND ');
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
