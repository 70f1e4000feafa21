// Span type icons.

import { h } from './dom.js';

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

/** The type's CSS class suffix: types without an icon of their own share 'CUSTOM'. */
export function spanTypeClass(type) {
  return Object.hasOwn(SPAN_ICONS, type) ? type : 'CUSTOM';
}

export function spanIcon(type) {
  return h(`span.icon.type-${spanTypeClass(type)}`, { title: type, 'aria-label': type }, SPAN_ICONS[type] ?? (type.slice(0, 2) || '?'));
}
