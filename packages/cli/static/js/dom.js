// DOM construction. Strings always become text nodes: trace data never reaches innerHTML.
// Each string is also its own bidi isolate (<bdi>): a U+202E (right-to-left override) inside
// trace data reorders only that string, never the fields around it. So user text must reach
// the page as its own string argument, not spliced into a template literal with other text.

/** h('div.cls', {title: 'x', onclick: fn}, child, 'text', ...) — strings become text nodes. */
export function h(spec, props, ...children) {
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

/** Elements whose content must stay plain text (no child elements). */
const TEXT_ONLY = new Set(['OPTION', 'TEXTAREA', 'TITLE']);

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.appendChild(child instanceof Node ? child : textNode(String(child), el));
  }
  return el;
}

function textNode(text, parent) {
  const node = document.createTextNode(text);
  if (TEXT_ONLY.has(parent.tagName)) return node;
  const isolate = document.createElement('bdi');
  isolate.appendChild(node);
  return isolate;
}

/** Replaces el's content with `children` (strings isolated as in h). */
export function setText(el, ...children) {
  return append(clear(el), children);
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}
