// tracewright viewer. Plain ES modules, no framework, no build step.
// Everything inside a trace is untrusted (LLM output!): it only ever reaches the page as
// text nodes (textContent / createTextNode). Never innerHTML, never attributes built from it
// except hash links made of encodeURIComponent'ed ids.

import { api } from './js/api.js';
import { setText } from './js/dom.js';
import { startRouter } from './js/router.js';

api('/api/experiments')
  .then((text) => {
    const { experiments } = JSON.parse(text);
    const names = experiments.flatMap((e, i) => (i ? [', ', e.name] : [e.name]));
    setText(document.getElementById('source-status'), experiments.length ? ['experiments: ', names] : '');
  })
  .catch(() => {});
startRouter();
