// Feedback and expectations (MLflow assessments): shown on the trace and on their span, and
// added from the trace page. Assessment content is trace data: text nodes only (dom.js).

import { postJson } from './api.js';
import { append, clear, h, setText } from './dom.js';

export const THUMBS_NAME = 'user_feedback';

/** Span JSON ids are base64 (v3 dicts), assessment span ids hex: the hex form of either. */
export function spanIdHex(id) {
  if (/^[0-9a-f]{16}$/.test(id)) return id;
  try {
    return Array.from(atob(id), (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  } catch {
    return id;
  }
}

/** The assessments about `span` (MLflow's span_id, hex). */
export function assessmentsOfSpan(assessments, span) {
  const hex = spanIdHex(span.id);
  return assessments.filter((a) => a.span_id === hex);
}

export function assessmentValue(a) {
  return a.feedback ? a.feedback.value : a.expectation?.value;
}

function valueText(a) {
  if (a.feedback && a.feedback.value === undefined && a.feedback.error) return `error: ${a.feedback.error.error_message ?? a.feedback.error.error_code ?? ''}`;
  const v = assessmentValue(a);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A table of assessments: kind, name, value, source, rationale; overridden ones struck through. */
export function assessmentTable(list, id) {
  if (!list.length) return h('p.muted', { id }, 'none');
  return h(
    'table.assessments',
    { id },
    h('thead', null, h('tr', null, ['Kind', 'Name', 'Value', 'Source', 'Rationale'].map((c) => h('th', null, c)))),
    h(
      'tbody',
      null,
      list.map((a) =>
        h(
          `tr${a.valid === false ? '.overridden' : ''}`,
          { dataset: { assessmentName: a.assessment_name ?? '', kind: a.feedback ? 'feedback' : 'expectation' }, title: a.valid === false ? 'overridden' : undefined },
          h('td', null, a.feedback ? 'feedback' : 'expectation'),
          h('td', null, String(a.assessment_name ?? '')),
          h('td.assessment-value', null, valueText(a)),
          h('td.muted', null, String(a.source?.source_type ?? ''), ' ', String(a.source?.source_id ?? '')),
          h('td', null, String(a.rationale ?? '')),
        ),
      ),
    ),
  );
}

/** Text typed as a value: JSON when it parses (42, true, {"a":1}), else the string itself. */
function parseValue(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The forms adding feedback (thumbs + comment, or a named value) and an expectation; `done` reloads the page. */
export function assessmentForms(traceId, done) {
  const status = h('p.form-status', { id: 'assessment-status', role: 'status' });
  const comment = h('textarea', { id: 'feedback-comment', rows: 2, maxLength: 4000, placeholder: 'comment (optional)' });
  const send = async (body) => {
    setText(status, 'saving…');
    status.className = 'form-status';
    try {
      await postJson(`/api/traces/${encodeURIComponent(traceId)}/assessments`, body);
      setText(status, 'saved');
      done();
    } catch (error) {
      status.className = 'form-status error';
      setText(status, error.message);
    }
  };
  const thumbs = (up) => send({ kind: 'feedback', name: THUMBS_NAME, value: up, ...(comment.value.trim() ? { rationale: comment.value.trim() } : {}) });

  const kind = h('select', { id: 'assessment-kind', 'aria-label': 'Kind' }, h('option', { value: 'feedback' }, 'feedback'), h('option', { value: 'expectation' }, 'expectation'));
  const name = h('input', { id: 'assessment-name', placeholder: 'name, e.g. correctness', maxLength: 250 });
  const value = h('input', { id: 'assessment-value', placeholder: 'value: text, number, true/false or JSON', maxLength: 8000 });
  const addNamed = () => send({ kind: kind.value, name: name.value.trim(), value: parseValue(value.value.trim()) });

  return h(
    'div.assessment-forms',
    null,
    h(
      'div.form-row',
      null,
      h('button', { id: 'thumbs-up', type: 'button', title: 'Good answer', onclick: () => thumbs(true) }, '👍'),
      h('button', { id: 'thumbs-down', type: 'button', title: 'Bad answer', onclick: () => thumbs(false) }, '👎'),
      comment,
    ),
    h('div.form-row', null, kind, name, value, h('button', { id: 'assessment-add', type: 'button', onclick: addNamed }, 'Add')),
    status,
  );
}

/** `feedback.<name> = '<value>'`, quoted the way MLflow's grammar allows (no escapes); undefined if it cannot be written. */
export function feedbackFilter(name, literal) {
  const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name}\``;
  if (name.includes('`')) return undefined;
  if (!literal.includes("'")) return `feedback.${key} = '${literal}'`;
  if (!literal.includes('"')) return `feedback.${key} = "${literal}"`;
  return undefined;
}

/** Chips for a trace's valid feedback in the list: clicking one filters the list by it. */
export function feedbackChips(info, onFilter) {
  const chips = [];
  for (const a of info.assessments ?? []) {
    if (!a.feedback || a.valid === false || a.feedback.value === undefined) continue;
    const v = a.feedback.value;
    const literal = typeof v === 'string' ? v : JSON.stringify(v);
    const label = a.assessment_name === THUMBS_NAME && typeof v === 'boolean' ? (v ? '👍' : '👎') : `${a.assessment_name}: ${literal}`;
    chips.push(
      h(
        'button.chip.feedback-chip',
        { type: 'button', title: 'Filter by this feedback', dataset: { name: a.assessment_name }, onclick: () => onFilter(a.assessment_name, literal) },
        label,
      ),
    );
  }
  return chips;
}
