// What lists show of a trace: its facts and readable request/response previews.

import { chatOf } from './chat.js';
import { decode, objectOf, parseDuration } from './format.js';

/** The facts of a TraceInfoV3 (REST JSON) that lists show. */
export function summarize(info) {
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

export function shortPreview(raw, max = 120) {
  const text = textOfValue(decode(raw)) ?? String(raw ?? '');
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

/** A readable text for a request/response value: chat text if it is a chat, else JSON. */
export function textOfValue(value) {
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
