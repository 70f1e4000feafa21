// The start every single-item view shares: mark the view loading, fetch, or show the error.

import { append, clear, h } from './dom.js';

/** Clears `app` for `view` and runs `load`; on failure shows the error (state "error") and resolves undefined. */
export async function loadView(app, view, load) {
  clear(app);
  app.dataset.view = view;
  app.dataset.state = 'loading';
  try {
    return await load();
  } catch (error) {
    append(app, [h('p', null, h('a', { href: '#/' }, '← Traces')), h('pre.error', null, error.message)]);
    app.dataset.state = 'error';
    return undefined;
  }
}
