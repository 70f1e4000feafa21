// The selected span's detail pane: facts, exceptions, conversation, inputs/outputs, attributes, events.

import { chatOf, renderChat } from '../chat.js';
import { append, clear, h } from '../dom.js';
import { formatCost, formatDuration, objectOf } from '../format.js';
import { jsonView } from '../json-view.js';
import { spanIcon } from '../span-types.js';
import { statusCode } from '../spans.js';
import { assessmentTable } from '../assessments.js';

/** "20 (in 12 · out 8)"; the counts come from trace data, so each is its own string (see dom.js). */
export function tokenSummary(usage) {
  const total = usage.total_tokens ?? (Number(usage.input_tokens) || 0) + (Number(usage.output_tokens) || 0);
  return [String(total), ' (in ', String(usage.input_tokens ?? 0), ' · out ', String(usage.output_tokens ?? 0), ')'];
}

function section(title, content, open = true) {
  return h('details.section', { open }, h('summary', null, title), h('div.section-body', null, content));
}

export function renderSpanDetail(el, span, t0, assessments = []) {
  clear(el);
  const a = span.attrs;
  const usage = objectOf(a['mlflow.chat.tokenUsage']);
  const cost = objectOf(a['mlflow.llm.cost']);
  const code = statusCode(span.status);
  const facts = [
    ['Type', span.type],
    ['Status', [code, span.status?.message ? [': ', String(span.status.message)] : '']],
    ['Duration', formatDuration(span.durationMs)],
    ['Starts at', `+${formatDuration(Number(span.start - t0) / 1e6)}`],
    a['mlflow.llm.model'] !== undefined && ['Model', String(a['mlflow.llm.model'])],
    usage && ['Tokens', tokenSummary(usage)],
    cost && ['Cost', formatCost(cost.total_cost) ?? JSON.stringify(cost)],
  ].filter(Boolean);

  const hidden = new Set(['mlflow.spanInputs', 'mlflow.spanOutputs', 'mlflow.traceRequestId', 'mlflow.spanType']);
  const rest = Object.fromEntries(Object.entries(a).filter(([k]) => !hidden.has(k)));
  const chat = span.type === 'LLM' || span.type === 'CHAT_MODEL' || a['mlflow.message.format'] !== undefined ? chatOf(a['mlflow.spanInputs'], a['mlflow.spanOutputs']) : [];
  const exceptions = span.events.filter((e) => e.name === 'exception');

  append(el, [
    h('h2', null, spanIcon(span.type), ' ', h('span', { id: 'detail-name' }, span.name)),
    h('dl.facts.compact', null, facts.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v)))),
    exceptions.map((e) =>
      h(
        'div.exception',
        null,
        h('strong', null, String(e.attributes?.['exception.type'] ?? 'Error'), ': ', String(e.attributes?.['exception.message'] ?? '')),
        e.attributes?.['exception.stacktrace'] ? h('pre', null, String(e.attributes['exception.stacktrace'])) : '',
      ),
    ),
    assessments.length ? section(`Feedback & expectations (${assessments.length})`, assessmentTable(assessments, 'span-assessments')) : '',
    chat.length ? section('Conversation', renderChat(chat)) : '',
    section('Inputs', h('div.json', { id: 'detail-inputs' }, a['mlflow.spanInputs'] === undefined ? h('span.muted', null, 'none') : jsonView(a['mlflow.spanInputs'])), !chat.length),
    section('Outputs', h('div.json', { id: 'detail-outputs' }, a['mlflow.spanOutputs'] === undefined ? h('span.muted', null, 'none') : jsonView(a['mlflow.spanOutputs'])), !chat.length),
    section('Attributes', h('div.json', null, jsonView(rest, 0, 1)), false),
    span.events.length
      ? section(
          `Events (${span.events.length})`,
          h('div.json', null, jsonView(span.events.map((e) => ({ name: e.name, time: `+${formatDuration(Number(BigInt(e.time_unix_nano ?? 0) - t0) / 1e6)}`, attributes: e.attributes })), 0, 2)),
          exceptions.length > 0,
        )
      : '',
  ]);
}
