// The trace list: search toolbar, paged table, live refresh of the first page.

import { api } from '../api.js';
import { append, clear, h, setText } from '../dom.js';
import { formatCost, formatInfoDuration, formatTime } from '../format.js';
import { hasFilter, listHash, listParams, PAGE_SIZE, SORTS } from '../list-query.js';
import { shortPreview, summarize } from '../summary.js';
import { feedbackChips, feedbackFilter } from '../assessments.js';

const POLL_MS = 2000;

const LIST_COLUMNS = ['Trace ID', 'Name', 'Status', 'Start', 'Duration', 'User', 'Session', 'Tokens', 'Cost', 'Request', 'Response', 'Feedback', 'Compare'];

/** Renders the list into `app`; returns what stops its live refresh. */
export function showList(app, params) {
  const state = {
    filter: params.get('filter') ?? '',
    user: params.get('user') ?? '',
    session: params.get('session') ?? '',
    order: params.get('order') ?? SORTS[0][0],
    size: Math.min(500, Math.max(1, Number(params.get('size')) || PAGE_SIZE)),
    tokens: [undefined], // page tokens: tokens[i] fetches page i
    page: 0,
    next: undefined,
    lastBody: '',
  };

  const filterInput = h('input.filter', {
    id: 'filter',
    type: 'search',
    placeholder: "MLflow filter, e.g. trace.status = 'ERROR' AND metadata.`mlflow.trace.user` = 'alice'",
    value: state.filter,
    spellcheck: false,
    autocomplete: 'off',
  });
  const userInput = h('input.quick', { id: 'quick-user', type: 'search', placeholder: 'user', value: state.user });
  const sessionInput = h('input.quick', { id: 'quick-session', type: 'search', placeholder: 'session', value: state.session });
  const sortSelect = h('select', { id: 'sort', 'aria-label': 'Sort' }, SORTS.map(([v, label]) => h('option', { value: v, selected: v === state.order }, label)));
  const applyButton = h('button', { id: 'apply', type: 'button' }, 'Search');
  // Two traces ticked in the list open side by side (the selection survives paging and refreshes).
  const picked = [];
  const compareButton = h('button', { id: 'compare', type: 'button', disabled: true, title: 'Tick two traces to compare them' }, 'Compare');
  compareButton.addEventListener('click', () => {
    if (picked.length === 2) location.hash = `#/compare/${encodeURIComponent(picked[0])}/${encodeURIComponent(picked[1])}`;
  });
  const togglePick = (id, on) => {
    const at = picked.indexOf(id);
    if (on && at < 0) picked.push(id);
    if (!on && at >= 0) picked.splice(at, 1);
    while (picked.length > 2) picked.shift();
    for (const box of tbody.querySelectorAll('input.pick')) box.checked = picked.includes(box.dataset.traceId);
    compareButton.disabled = picked.length !== 2;
  };
  const live = h('input', { id: 'live', type: 'checkbox', checked: true });
  const errorBox = h('pre.error', { id: 'list-error', hidden: true });
  const tbody = h('tbody', { id: 'trace-rows' });
  const info = h('span.muted', { id: 'page-info' });
  const prev = h('button', { id: 'prev', type: 'button', disabled: true }, '← Prev');
  const next = h('button', { id: 'next', type: 'button', disabled: true }, 'Next →');

  const apply = () => {
    state.filter = filterInput.value;
    state.user = userInput.value;
    state.session = sessionInput.value;
    state.order = sortSelect.value;
    const target = listHash(state);
    if (location.hash !== target) history.replaceState(null, '', target);
    state.tokens = [undefined];
    state.page = 0;
    load();
  };
  for (const input of [filterInput, userInput, sessionInput]) input.addEventListener('keydown', (e) => e.key === 'Enter' && apply());
  applyButton.addEventListener('click', apply);
  sortSelect.addEventListener('change', apply);
  prev.addEventListener('click', () => {
    if (state.page > 0) {
      state.page--;
      load();
    }
  });
  next.addEventListener('click', () => {
    if (state.next) {
      state.tokens[state.page + 1] = state.next;
      state.page++;
      load();
    }
  });

  const filterByFeedback = (name, literal) => {
    const clause = feedbackFilter(name, literal);
    if (!clause) return;
    filterInput.value = clause;
    apply();
  };

  const setQuick = (which, value) => {
    (which === 'user' ? userInput : sessionInput).value = value;
    apply();
  };

  async function load(quiet = false) {
    const q = listParams(state);
    const token = state.tokens[state.page];
    if (token) q.set('page_token', token);
    let body;
    try {
      body = await api(`/api/traces?${q}`);
    } catch (error) {
      errorBox.hidden = false;
      setText(errorBox, error.message);
      if (!quiet) clear(tbody);
      app.dataset.state = 'error';
      return;
    }
    errorBox.hidden = true;
    if (quiet && body === state.lastBody) return;
    state.lastBody = body;
    const page = JSON.parse(body);
    state.next = page.next_page_token;
    renderRows(page.traces);
    prev.disabled = state.page === 0;
    next.disabled = !state.next;
    const first = state.page * state.size;
    if (!performance.getEntriesByName('tw-list-ready').length) performance.mark('tw-list-ready');
    info.textContent = page.traces.length ? `${first + 1}–${first + page.traces.length}${state.next ? '' : ` of ${first + page.traces.length}`}` : 'no traces';
    app.dataset.state = 'ready';
  }

  function renderRows(traces) {
    clear(tbody);
    if (traces.length === 0) {
      const text = hasFilter(state)
        ? 'No traces match this filter.'
        : 'No traces yet. Run a traced program (for example npm run demo); new traces appear here as they arrive.';
      tbody.appendChild(h('tr.empty', null, h('td.muted', { colSpan: LIST_COLUMNS.length }, text)));
    }
    for (const info of traces) {
      const s = summarize(info);
      const link = `#/trace/${encodeURIComponent(s.id)}`;
      tbody.appendChild(
        h(
          'tr',
          { dataset: { traceId: s.id } },
          h('td.mono', null, h('a', { href: link, className: 'trace-link' }, s.id)),
          h('td', null, h('a', { href: link }, s.name || '(unnamed)')),
          h('td', null, h(`span.status.status-${s.state === 'OK' || s.state === 'ERROR' ? s.state : 'OTHER'}`, null, s.state)),
          h('td.nowrap', null, formatTime(s.time)),
          h('td.num', null, formatInfoDuration(s.durationMs)),
          h('td', null, s.user ? h('button.chip', { type: 'button', title: 'Filter by this user', onclick: () => setQuick('user', s.user) }, s.user) : ''),
          h(
            'td.nowrap',
            null,
            s.session
              ? [
                  h('button.chip', { type: 'button', title: 'Filter by this session', onclick: () => setQuick('session', s.session) }, s.session),
                  ' ',
                  h('a.small.session-link', { href: `#/session/${encodeURIComponent(s.session)}`, title: 'Open the conversation' }, 'chat'),
                ]
              : '',
          ),
          h('td.num', null, s.usage?.total_tokens !== undefined ? String(s.usage.total_tokens) : ''),
          h('td.num', null, formatCost(s.cost) ?? ''),
          h('td.preview', null, shortPreview(s.request)),
          h('td.preview', null, shortPreview(s.response)),
          h('td.feedback', null, feedbackChips(info, filterByFeedback)),
          h(
            'td',
            null,
            h('input.pick', { type: 'checkbox', 'aria-label': 'Compare this trace', checked: picked.includes(s.id), dataset: { traceId: s.id }, onchange: (e) => togglePick(s.id, e.target.checked) }),
          ),
        ),
      );
    }
  }

  clear(app);
  app.dataset.view = 'list';
  app.dataset.state = 'loading';
  append(app, [
    h(
      'div.toolbar',
      null,
      filterInput,
      userInput,
      sessionInput,
      sortSelect,
      applyButton,
      compareButton,
      h('label.live', { title: 'Refresh the first page as new traces arrive' }, live, ' Live'),
    ),
    errorBox,
    h(
      'div.table-wrap',
      null,
      h(
        'table.traces',
        null,
        h('thead', null, h('tr', null, LIST_COLUMNS.map((c) => h('th', null, c)))),
        tbody,
      ),
    ),
    h('div.pager', null, prev, info, next),
  ]);
  load();
  const pollTimer = setInterval(() => {
    if (live.checked && state.page === 0 && !document.hidden) load(true);
  }, POLL_MS);
  return () => clearInterval(pollTimer);
}
