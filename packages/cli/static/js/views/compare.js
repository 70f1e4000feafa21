// Two traces side by side: the runtime's diffTraces (GET /api/diff) as one row per matched
// span, A's and B's timing on either side and what changed between them.

import { api } from '../api.js';
import { append, h } from '../dom.js';
import { loadView } from '../view-load.js';
import { formatDuration } from '../format.js';

const MARK = { same: '', changed: 'changed', added: 'only in B', removed: 'only in A' };

function deltaText(d, unit) {
  if (d.delta === null || d.delta === 0) return '';
  const sign = d.delta > 0 ? '+' : '−';
  return unit === 'ms' ? `${sign}${formatDuration(Math.abs(d.delta))}` : `${sign}${Math.abs(d.delta)} tok`;
}

function show(v) {
  return v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v);
}

export async function showCompare(app, a, b) {
  const diff = await loadView(app, 'compare', async () => JSON.parse(await api(`/api/diff?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`)));
  if (!diff) return;
  const s = diff.summary;
  const rows = diff.spans.map((span) =>
    h(
      `tr.diff-${span.status}`,
      { dataset: { path: span.path, status: span.status } },
      h('td', null, h('span.indent-text', null, '\u00a0'.repeat(span.depth * 3)), span.path.split('/').pop()),
      h('td.num', null, span.durationMs.a === null ? '' : formatDuration(span.durationMs.a)),
      h('td.num', null, span.durationMs.b === null ? '' : formatDuration(span.durationMs.b)),
      h('td.num', null, [deltaText(span.durationMs, 'ms'), span.totalTokens.delta ? [' ', deltaText(span.totalTokens, 'tok')] : '']),
      h(
        'td.changes',
        null,
        MARK[span.status] ? h('strong', null, MARK[span.status]) : '',
        span.changes.map((c) => h('div.change', null, h('span.mono', null, c.field, c.path === '$' ? '' : c.path.slice(1)), ': ', h('span.before', null, show(c.before)), ' → ', h('span.after', null, show(c.after)))),
      ),
    ),
  );
  append(app, [
    h('p.crumbs', null, h('a', { href: '#/' }, '← Traces')),
    h('h1', null, 'Compare'),
    h(
      'dl.facts',
      null,
      h('div', null, h('dt', null, 'A'), h('dd', null, h('a.mono', { href: `#/trace/${encodeURIComponent(diff.traceIdA)}` }, diff.traceIdA))),
      h('div', null, h('dt', null, 'B'), h('dd', null, h('a.mono', { href: `#/trace/${encodeURIComponent(diff.traceIdB)}` }, diff.traceIdB))),
      h('div', null, h('dt', null, 'Spans'), h('dd', { id: 'compare-summary' }, `${s.changed} changed, ${s.added} added, ${s.removed} removed, ${s.same} same`)),
      h('div', null, h('dt', null, 'Duration'), h('dd', null, deltaText(diff.durationMs, 'ms') || 'same')),
      diff.totalTokens.delta !== null ? h('div', null, h('dt', null, 'Tokens'), h('dd', null, deltaText(diff.totalTokens, 'tok') || 'same')) : '',
    ),
    h(
      'div.table-wrap',
      null,
      h('table.compare', { id: 'compare-rows' }, h('thead', null, h('tr', null, ['Span', 'A', 'B', 'Δ', 'Changes'].map((c) => h('th', null, c)))), h('tbody', null, rows)),
    ),
  ]);
  app.dataset.state = 'ready';
}
