// Hash routing: #/ (trace list), #/trace/<id>[/<spanId>], #/sessions, #/session/<id>, #/compare/<idA>/<idB>.

import { showCompare } from './views/compare.js';
import { showSession, showSessions } from './views/sessions.js';
import { showList } from './views/trace-list.js';
import { showTrace } from './views/trace-page.js';

const app = document.getElementById('app');
// Set by the view that polls (the trace list): stops it when the route changes.
let stopPolling = () => {};

function parseHash() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(query) };
}

function route() {
  stopPolling();
  stopPolling = () => {};
  const { parts, params } = parseHash();
  if (parts[0] === 'trace' && parts[1]) return showTrace(app, parts[1], parts[2]);
  if (parts[0] === 'session' && parts[1]) return showSession(app, parts[1]);
  if (parts[0] === 'sessions') return showSessions(app);
  if (parts[0] === 'compare' && parts[1] && parts[2]) return showCompare(app, parts[1], parts[2]);
  stopPolling = showList(app, params);
}

/** Shows the view for the current hash, and follows hash changes. */
export function startRouter() {
  window.addEventListener('hashchange', route);
  route();
}
