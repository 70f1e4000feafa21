// Collapsible JSON tree.

import { h } from './dom.js';

export function jsonView(value, depth = 0, openDepth = 2) {
  if (value === null) return h('span.j-null', null, 'null');
  if (typeof value === 'string') return h('span.j-str', null, JSON.stringify(value).length > 200 || value.includes('\n') ? value : JSON.stringify(value));
  if (typeof value === 'number') return h('span.j-num', null, String(value));
  if (typeof value === 'boolean') return h('span.j-bool', null, String(value));
  if (typeof value !== 'object') return h('span', null, String(value));
  const isArray = Array.isArray(value);
  const entries = isArray ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  if (entries.length === 0) return h('span.j-empty', null, isArray ? '[]' : '{}');
  const summary = isArray ? `[ ${entries.length} item${entries.length === 1 ? '' : 's'} ]` : `{ ${entries.length} key${entries.length === 1 ? '' : 's'} }`;
  const details = h('details.j-node', { open: depth < openDepth }, h('summary', null, summary));
  const body = h('div.j-body');
  for (const [k, v] of entries) body.appendChild(h('div.j-row', null, h('span.j-key', null, k, ':'), ' ', jsonView(v, depth + 1, openDepth)));
  details.appendChild(body);
  return details;
}
