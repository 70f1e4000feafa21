// Sessions: the list of conversations, and one session shown as a chat.

import { api } from '../api.js';
import { append, clear, h } from '../dom.js';
import { decode, formatInfoDuration, formatTime } from '../format.js';
import { shortPreview, summarize, textOfValue } from '../summary.js';

export async function showSession(app, sessionId) {
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
    h(
      'p.muted',
      null,
      `${traces.length} trace${traces.length === 1 ? '' : 's'}`,
      users.length ? [' · user ', users.flatMap((u, i) => (i ? [', ', u] : [u]))] : '',
      tokens ? ` · ${tokens} tokens` : '',
    ),
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

export async function showSessions(app) {
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
            h('td', null, s.users.flatMap((u, i) => (i ? [', ', u] : [u]))),
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
