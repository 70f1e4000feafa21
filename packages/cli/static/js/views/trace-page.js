// One trace: its facts, the span tree with a timeline, and the selected span's detail.

import { api, parseTraceJson } from '../api.js';
import { append, h } from '../dom.js';
import { formatCost, formatDuration, formatInfoDuration, formatTime, objectOf } from '../format.js';
import { spanIcon, spanTypeClass } from '../span-types.js';
import { buildTree, spanModel, statusCode } from '../spans.js';
import { summarize } from '../summary.js';
import { renderSpanDetail, tokenSummary } from './span-detail.js';
import { assessmentForms, assessmentsOfSpan, assessmentTable } from '../assessments.js';
import { loadView } from '../view-load.js';

export async function showTrace(app, traceId, selectedSpanId) {
  const trace = await loadView(app, 'trace', async () => parseTraceJson(await api(`/api/traces/${encodeURIComponent(traceId)}`)));
  if (!trace) return;
  const s = summarize(trace.info);
  const spans = (trace.data?.spans ?? []).map(spanModel);
  const roots = buildTree(spans);
  const t0 = spans.reduce((m, sp) => (sp.start < m ? sp.start : m), spans[0]?.start ?? 0n);
  const tEnd = spans.reduce((m, sp) => (sp.end !== null && sp.end > m ? sp.end : m), t0);
  const total = Number(tEnd - t0) || 1;

  const spanCosts = spans.map((sp) => Number(objectOf(sp.attrs['mlflow.llm.cost'])?.total_cost)).filter(Number.isFinite);
  const traceCost = s.cost ?? (spanCosts.length ? spanCosts.reduce((a, b) => a + b, 0) : undefined);

  const facts = [
    ['Status', h(`span.status.status-${s.state === 'OK' || s.state === 'ERROR' ? s.state : 'OTHER'}`, null, s.state)],
    ['Start', formatTime(s.time)],
    // The root span's ns timing is more precise than the info's whole-ms duration.
    ['Duration', roots[0]?.durationMs != null ? formatDuration(roots[0].durationMs) : formatInfoDuration(s.durationMs)],
    s.user && ['User', h('a', { href: `#/?user=${encodeURIComponent(s.user)}` }, s.user)],
    s.session && ['Session', h('a', { href: `#/session/${encodeURIComponent(s.session)}` }, s.session)],
    s.usage && ['Tokens', tokenSummary(s.usage)],
    traceCost !== undefined && ['Cost', formatCost(traceCost)],
    ['Spans', String(spans.length)],
  ].filter(Boolean);

  const assessments = Array.isArray(trace.info.assessments) ? trace.info.assessments : [];
  const detail = h('div.detail', { id: 'span-detail' });
  const rows = h('div.tree', { id: 'span-tree', role: 'tree' });
  const rowById = new Map();

  const select = (span) => {
    for (const [id, row] of rowById) row.classList.toggle('selected', id === span.id);
    renderSpanDetail(detail, span, t0, assessmentsOfSpan(assessments, span));
    history.replaceState(null, '', `#/trace/${encodeURIComponent(traceId)}/${encodeURIComponent(span.id)}`);
  };

  const addRow = (span, depth) => {
    const offset = Number(span.start - t0);
    const width = span.end === null ? total - offset : Number(span.end - span.start);
    const bar = h(`div.bar.type-${spanTypeClass(span.type)}${statusCode(span.status) === 'ERROR' ? '.bar-error' : ''}`);
    bar.style.left = `${(offset / total) * 100}%`;
    bar.style.width = `${Math.max(0.3, (width / total) * 100)}%`;
    const indent = h('span.indent');
    indent.style.width = `${depth * 16}px`;
    const row = h(
      'div.span-row',
      { role: 'treeitem', tabIndex: 0, dataset: { spanId: span.id, spanName: span.name }, onclick: () => select(span), onkeydown: (e) => e.key === 'Enter' && select(span) },
      h(
        'div.span-label',
        null,
        indent,
        spanIcon(span.type),
        h('span.span-name', null, span.name),
        statusCode(span.status) === 'ERROR' ? h('span.badge.badge-error', null, 'error') : '',
      ),
      h('div.span-time', null, h('div.track', null, bar), h('span.span-dur', null, formatDuration(span.durationMs))),
    );
    rowById.set(span.id, row);
    rows.appendChild(row);
    for (const child of span.children) addRow(child, depth + 1);
  };
  for (const root of roots) addRow(root, 0);

  append(app, [
    h('p.crumbs', null, h('a', { href: '#/' }, '← Traces')),
    h('h1', null, s.name || '(unnamed trace)', ' ', h('span.mono.muted.small', null, s.id)),
    h('dl.facts', null, facts.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v)))),
    h(
      'details.section.trace-assessments',
      { open: true },
      h('summary', null, `Feedback & expectations (${assessments.filter((a) => !a.span_id).length})`),
      h('div.section-body', null, assessmentTable(assessments.filter((a) => !a.span_id), 'trace-assessments'), assessmentForms(traceId, () => showTrace(app, traceId, selectedSpanId))),
    ),
    h('div.trace-layout', null, h('div.tree-pane', null, h('div.tree-head', null, h('span', null, 'Span'), h('span', null, 'Timeline')), rows), detail),
  ]);
  const initial = spans.find((sp) => sp.id === selectedSpanId) ?? roots[0];
  if (initial) select(initial);
  app.dataset.state = 'ready';
}
