// tracewright viewer. Plain ES module, no framework, no build step.
// Everything inside a trace is untrusted (LLM output!): it only ever reaches the page as
// text nodes (textContent / createTextNode). Never innerHTML, never attributes built from it
// except hash links made of encodeURIComponent'ed ids.

const PAGE_SIZE = 50;
const POLL_MS = 2000;

// ---------- DOM helpers ----------

/** h('div.cls', {title: 'x', onclick: fn}, child, 'text', ...) — strings become text nodes. */
function h(spec, props, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else if (key in el && key !== 'list') el[key] = value;
      else el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// ---------- data helpers ----------

/** JSON.parse that keeps ns timestamps exact (as strings) so durations can use BigInt. */
function parseTraceJson(text) {
  return JSON.parse(text.replace(/"(start_time_unix_nano|end_time_unix_nano|time_unix_nano)"(\s*):(\s*)(-?\d+)/g, '"$1"$2:$3"$4"'));
}

async function api(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      message = JSON.parse(text).message ?? text;
    } catch {}
    const error = new Error(message);
    error.status = res.status;
    throw error;
  }
  return text;
}

function decode(raw) {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function parseDuration(d) {
  if (d === undefined || d === null) return undefined;
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(String(d));
  return m ? Number(m[1]) * 1000 : undefined;
}

function formatDuration(ms) {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '–';
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)}ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(2)}s`;
  return `${Math.floor(ms / 60000)}m${Math.round((ms % 60000) / 1000)}s`;
}

/** Trace infos carry whole milliseconds: 0 means "under one". */
function formatInfoDuration(ms) {
  return ms === 0 ? '<1ms' : formatDuration(ms);
}

function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  return d.toLocaleString(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function formatCost(usd) {
  if (usd === undefined || usd === null || !Number.isFinite(Number(usd))) return undefined;
  const n = Number(usd);
  return `$${n < 0.01 ? n.toFixed(6) : n.toFixed(4)}`;
}

function objectOf(v) {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

/** The facts of a TraceInfoV3 (REST JSON) that lists show. */
function summarize(info) {
  const meta = info.trace_metadata ?? {};
  const usage = objectOf(decode(meta['mlflow.trace.tokenUsage']));
  const cost = objectOf(decode(meta['mlflow.trace.cost']));
  return {
    id: info.trace_id,
    name: info.tags?.['mlflow.traceName'] ?? '',
    state: info.state,
    time: info.request_time,
    durationMs: parseDuration(info.execution_duration),
    user: meta['mlflow.trace.user'],
    session: meta['mlflow.trace.session'],
    usage,
    cost: cost?.total_cost,
    request: info.request_preview ?? '',
    response: info.response_preview ?? '',
  };
}

function shortPreview(raw, max = 120) {
  const text = textOfValue(decode(raw)) ?? String(raw ?? '');
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

/** A readable text for a request/response value: chat text if it is a chat, else JSON. */
function textOfValue(value) {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  // A request preview holds the inputs (messages), a response preview the outputs (choices, content blocks).
  const chat = [...chatOf(value, undefined), ...chatOf(undefined, value)];
  if (chat.length) {
    const last = [...chat].reverse().find((m) => m.role === 'user' || m.role === 'assistant') ?? chat[chat.length - 1];
    return last.parts.map((p) => p.text).join(' ');
  }
  const obj = objectOf(value);
  if (obj) {
    const keys = Object.keys(obj);
    if (keys.length === 1 && typeof obj[keys[0]] === 'string') return obj[keys[0]];
    for (const k of ['question', 'query', 'input', 'prompt', 'message', 'text', 'answer', 'output', 'content']) {
      if (typeof obj[k] === 'string') return obj[k];
    }
  }
  return JSON.stringify(value);
}

// ---------- chat formats (OpenAI chat/responses, Anthropic messages) ----------

/** Normalizes message content to [{kind, text}] parts. */
function partsOf(content) {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [{ kind: 'text', text: content }];
  if (!Array.isArray(content)) return [{ kind: 'json', text: JSON.stringify(content, null, 2) }];
  const parts = [];
  for (const block of content) {
    if (typeof block === 'string') parts.push({ kind: 'text', text: block });
    else if (!block || typeof block !== 'object') continue;
    else if (typeof block.text === 'string') parts.push({ kind: 'text', text: block.text });
    else if (block.type === 'tool_use') parts.push({ kind: 'tool', text: `${block.name}(${JSON.stringify(block.input ?? {})})` });
    else if (block.type === 'tool_result') parts.push({ kind: 'tool', text: partsOf(block.content).map((p) => p.text).join('\n') || '(empty tool result)' });
    else if (block.type === 'image_url' || block.type === 'image' || block.type === 'input_image') parts.push({ kind: 'note', text: '[image]' });
    else if (block.type === 'refusal') parts.push({ kind: 'note', text: `refusal: ${block.refusal ?? ''}` });
    else parts.push({ kind: 'json', text: JSON.stringify(block) });
  }
  return parts;
}

function messageOf(m) {
  if (!m || typeof m !== 'object') return undefined;
  const role = String(m.role ?? (m.type === 'function_call' ? 'assistant' : m.type === 'function_call_output' ? 'tool' : 'unknown'));
  const parts = partsOf(m.content);
  for (const call of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
    const fn = call.function ?? call;
    parts.push({ kind: 'tool', text: `${fn.name ?? 'tool'}(${typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {})})` });
  }
  if (m.type === 'function_call') parts.push({ kind: 'tool', text: `${m.name}(${m.arguments ?? ''})` });
  if (m.type === 'function_call_output') parts.push({ kind: 'text', text: String(m.output ?? '') });
  return { role, parts };
}

/** Chat messages found in a span's inputs or outputs, in order; [] if it is not a chat. */
function chatOf(inputs, outputs) {
  const messages = [];
  const ins = objectOf(inputs);
  if (ins) {
    if (ins.system !== undefined) messages.push({ role: 'system', parts: partsOf(ins.system) });
    if (typeof ins.instructions === 'string') messages.push({ role: 'system', parts: partsOf(ins.instructions) });
    if (Array.isArray(ins.messages)) messages.push(...ins.messages.map(messageOf).filter(Boolean));
    else if (typeof ins.input === 'string' && (ins.model !== undefined || ins.instructions !== undefined)) messages.push({ role: 'user', parts: partsOf(ins.input) });
    else if (Array.isArray(ins.input)) messages.push(...ins.input.map(messageOf).filter(Boolean));
  } else if (Array.isArray(inputs) && inputs.every((m) => m && typeof m === 'object' && 'role' in m)) {
    messages.push(...inputs.map(messageOf));
  }
  const outs = objectOf(outputs);
  if (outs) {
    if (Array.isArray(outs.choices)) {
      for (const c of outs.choices) if (c?.message) messages.push(messageOf({ role: 'assistant', ...c.message }));
    } else if (Array.isArray(outs.content) && (outs.role === 'assistant' || outs.type === 'message')) {
      messages.push({ role: 'assistant', parts: partsOf(outs.content) });
    } else if (Array.isArray(outs.output)) {
      for (const item of outs.output) {
        const m = messageOf(item?.type === 'message' ? { role: item.role ?? 'assistant', content: item.content } : item);
        if (m && m.parts.length) messages.push(m);
      }
    }
  }
  return messages.filter((m) => m && m.parts.length);
}

function renderChat(messages) {
  return h(
    'div.chat',
    null,
    messages.map((m) =>
      h(
        `div.msg.role-${/^[a-z_]+$/.test(m.role) ? m.role : 'unknown'}`,
        null,
        h('div.msg-role', null, m.role),
        m.parts.map((p) => h(`div.msg-part.part-${p.kind}`, null, p.kind === 'tool' ? `tool call › ${p.text}` : p.text)),
      ),
    ),
  );
}

// ---------- collapsible JSON ----------

function jsonView(value, depth = 0, openDepth = 2) {
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
  for (const [k, v] of entries) body.appendChild(h('div.j-row', null, h('span.j-key', null, isArray ? `${k}:` : `${k}:`), ' ', jsonView(v, depth + 1, openDepth)));
  details.appendChild(body);
  return details;
}

function section(title, content, open = true) {
  return h('details.section', { open }, h('summary', null, title), h('div.section-body', null, content));
}

// ---------- span types ----------

const SPAN_ICONS = {
  LLM: 'AI',
  CHAT_MODEL: 'AI',
  CHAIN: 'CH',
  AGENT: 'AG',
  TOOL: 'TL',
  RETRIEVER: 'RT',
  EMBEDDING: 'EM',
  RERANKER: 'RR',
  PARSER: 'PA',
  MEMORY: 'ME',
  UNKNOWN: '•',
};

function spanIcon(type) {
  const known = Object.hasOwn(SPAN_ICONS, type) ? type : 'CUSTOM';
  return h(`span.icon.type-${known}`, { title: type, 'aria-label': type }, SPAN_ICONS[type] ?? (type.slice(0, 2) || '?'));
}

// ---------- router ----------

const app = document.getElementById('app');
let pollTimer;

function parseHash() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(query) };
}

function route() {
  clearInterval(pollTimer);
  const { parts, params } = parseHash();
  if (parts[0] === 'trace' && parts[1]) return showTrace(parts[1], parts[2]);
  if (parts[0] === 'session' && parts[1]) return showSession(parts[1]);
  if (parts[0] === 'sessions') return showSessions();
  return showList(params);
}

window.addEventListener('hashchange', route);

// ---------- trace list ----------

const SORTS = [
  ['timestamp_ms DESC', 'Newest first'],
  ['timestamp_ms ASC', 'Oldest first'],
  ['execution_time_ms DESC', 'Slowest first'],
  ['execution_time_ms ASC', 'Fastest first'],
  ['status ASC', 'Status'],
];

function quote(value) {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

const LIST_COLUMNS = ['Trace ID', 'Name', 'Status', 'Start', 'Duration', 'User', 'Session', 'Tokens', 'Cost', 'Request', 'Response'];

function combinedFilter(state) {
  const clauses = [];
  if (state.filter.trim()) clauses.push(state.filter.trim());
  if (state.user.trim()) clauses.push(`metadata.\`mlflow.trace.user\` = ${quote(state.user.trim())}`);
  if (state.session.trim()) clauses.push(`metadata.\`mlflow.trace.session\` = ${quote(state.session.trim())}`);
  if (clauses.length > 1 && /\bOR\b/i.test(state.filter)) clauses[0] = `(${clauses[0]})`;
  return clauses.join(' AND ');
}

function listHash(state) {
  const q = new URLSearchParams();
  if (state.filter) q.set('filter', state.filter);
  if (state.user) q.set('user', state.user);
  if (state.session) q.set('session', state.session);
  if (state.order !== SORTS[0][0]) q.set('order', state.order);
  if (state.size !== PAGE_SIZE) q.set('size', String(state.size));
  const s = q.toString();
  return `#/${s ? '?' + s : ''}`;
}

function showList(params) {
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

  const setQuick = (which, value) => {
    (which === 'user' ? userInput : sessionInput).value = value;
    apply();
  };

  async function load(quiet = false) {
    const q = new URLSearchParams({ max: String(state.size), order_by: state.order });
    const filter = combinedFilter(state);
    if (filter) q.set('filter', filter);
    const token = state.tokens[state.page];
    if (token) q.set('page_token', token);
    let body;
    try {
      body = await api(`/api/traces?${q}`);
    } catch (error) {
      errorBox.hidden = false;
      errorBox.textContent = error.message;
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
      const text = combinedFilter(state)
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
  pollTimer = setInterval(() => {
    if (live.checked && state.page === 0 && !document.hidden) load(true);
  }, POLL_MS);
}

// ---------- trace page ----------

function spanModel(raw) {
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

function buildTree(spans) {
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

function statusCode(status) {
  return String(status?.code ?? 'UNSET').replace('STATUS_CODE_', '');
}

async function showTrace(traceId, selectedSpanId) {
  clear(app);
  app.dataset.view = 'trace';
  app.dataset.state = 'loading';
  let trace;
  try {
    trace = parseTraceJson(await api(`/api/traces/${encodeURIComponent(traceId)}`));
  } catch (error) {
    append(app, [h('p', null, h('a', { href: '#/' }, '← Traces')), h('pre.error', null, error.message)]);
    app.dataset.state = 'error';
    return;
  }
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
    s.usage && ['Tokens', `${s.usage.total_tokens ?? 0} (in ${s.usage.input_tokens ?? 0} · out ${s.usage.output_tokens ?? 0})`],
    traceCost !== undefined && ['Cost', formatCost(traceCost)],
    ['Spans', String(spans.length)],
  ].filter(Boolean);

  const detail = h('div.detail', { id: 'span-detail' });
  const rows = h('div.tree', { id: 'span-tree', role: 'tree' });
  const rowById = new Map();

  const select = (span) => {
    for (const [id, row] of rowById) row.classList.toggle('selected', id === span.id);
    renderSpanDetail(detail, span, t0);
    history.replaceState(null, '', `#/trace/${encodeURIComponent(traceId)}/${encodeURIComponent(span.id)}`);
  };

  const addRow = (span, depth) => {
    const offset = Number(span.start - t0);
    const width = span.end === null ? total - offset : Number(span.end - span.start);
    const bar = h(`div.bar.type-${Object.hasOwn(SPAN_ICONS, span.type) ? span.type : 'CUSTOM'}${statusCode(span.status) === 'ERROR' ? '.bar-error' : ''}`);
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
    h('div.trace-layout', null, h('div.tree-pane', null, h('div.tree-head', null, h('span', null, 'Span'), h('span', null, 'Timeline')), rows), detail),
  ]);
  const initial = spans.find((sp) => sp.id === selectedSpanId) ?? roots[0];
  if (initial) select(initial);
  app.dataset.state = 'ready';
}

function renderSpanDetail(el, span, t0) {
  clear(el);
  const a = span.attrs;
  const usage = objectOf(a['mlflow.chat.tokenUsage']);
  const cost = objectOf(a['mlflow.llm.cost']);
  const code = statusCode(span.status);
  const facts = [
    ['Type', span.type],
    ['Status', code + (span.status?.message ? `: ${span.status.message}` : '')],
    ['Duration', formatDuration(span.durationMs)],
    ['Starts at', `+${formatDuration(Number(span.start - t0) / 1e6)}`],
    a['mlflow.llm.model'] !== undefined && ['Model', String(a['mlflow.llm.model'])],
    usage && ['Tokens', `${usage.total_tokens ?? (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0)} (in ${usage.input_tokens ?? 0} · out ${usage.output_tokens ?? 0})`],
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
        h('strong', null, `${e.attributes?.['exception.type'] ?? 'Error'}: ${e.attributes?.['exception.message'] ?? ''}`),
        e.attributes?.['exception.stacktrace'] ? h('pre', null, String(e.attributes['exception.stacktrace'])) : '',
      ),
    ),
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

// ---------- sessions ----------

async function showSession(sessionId) {
  clear(app);
  app.dataset.view = 'session';
  app.dataset.state = 'loading';
  let body;
  try {
    body = JSON.parse(await api(`/api/sessions/${encodeURIComponent(sessionId)}`));
  } catch (error) {
    append(app, [h('p', null, h('a', { href: '#/' }, '← Traces')), h('pre.error', null, error.message)]);
    app.dataset.state = 'error';
    return;
  }
  const traces = body.traces.map(summarize);
  const tokens = traces.reduce((n, t) => n + (Number(t.usage?.total_tokens) || 0), 0);
  const users = [...new Set(traces.map((t) => t.user).filter(Boolean))];
  append(app, [
    h('p.crumbs', null, h('a', { href: '#/' }, '← Traces'), ' · ', h('a', { href: `#/?session=${encodeURIComponent(sessionId)}` }, 'as a list')),
    h('h1', null, 'Session ', h('span.mono', null, sessionId)),
    h('p.muted', null, `${traces.length} trace${traces.length === 1 ? '' : 's'}${users.length ? ` · user ${users.join(', ')}` : ''}${tokens ? ` · ${tokens} tokens` : ''}`),
    h(
      'div.chat.session',
      { id: 'session-chat' },
      traces.map((t) => [
        h('div.turn-meta', null, h('a', { href: `#/trace/${encodeURIComponent(t.id)}` }, t.name || t.id), ` · ${formatTime(t.time)} · ${formatInfoDuration(t.durationMs)}`, t.state === 'ERROR' ? ' · error' : ''),
        h('div.msg.role-user', null, h('div.msg-role', null, t.user ?? 'user'), h('div.msg-part', null, textOfValue(decode(t.request)) ?? '')),
        h('div.msg.role-assistant', null, h('div.msg-role', null, 'assistant'), h('div.msg-part', null, textOfValue(decode(t.response)) ?? '')),
      ]),
    ),
  ]);
  app.dataset.state = 'ready';
}

async function showSessions() {
  clear(app);
  app.dataset.view = 'sessions';
  app.dataset.state = 'loading';
  let body;
  try {
    body = JSON.parse(await api('/api/sessions'));
  } catch (error) {
    append(app, [h('pre.error', null, error.message)]);
    app.dataset.state = 'error';
    return;
  }
  append(app, [
    h('h1', null, 'Sessions'),
    h('p.muted', null, `Conversations (traces sharing mlflow.trace.session) among the ${body.scanned < body.limit ? body.scanned : `latest ${body.limit}`} traces that have one, most recent first.`),
    h(
      'table.traces',
      null,
      h('thead', null, h('tr', null, ['Session', 'Users', 'Traces', 'Tokens', 'Started', 'Last activity', 'Last request'].map((c) => h('th', null, c)))),
      h(
        'tbody',
        { id: 'session-rows' },
        body.sessions.length === 0 ? h('tr', null, h('td.muted', { colSpan: 7 }, 'No traces with a session yet.')) : '',
        body.sessions.map((s) =>
          h(
            'tr',
            { dataset: { sessionId: s.session_id } },
            h('td', null, h('a', { href: `#/session/${encodeURIComponent(s.session_id)}` }, s.session_id)),
            h('td', null, s.users.join(', ')),
            h('td.num', null, String(s.trace_count)),
            h('td.num', null, s.total_tokens ? String(s.total_tokens) : ''),
            h('td.nowrap', null, formatTime(s.first_request_time)),
            h('td.nowrap', null, formatTime(s.last_request_time)),
            h('td.preview', null, shortPreview(s.last_request_preview)),
          ),
        ),
      ),
    ),
  ]);
  app.dataset.state = 'ready';
}

// ---------- start ----------

api('/api/experiments')
  .then((text) => {
    const { experiments } = JSON.parse(text);
    document.getElementById('source-status').textContent = experiments.length ? `experiments: ${experiments.map((e) => e.name).join(', ')}` : '';
  })
  .catch(() => {});
route();
