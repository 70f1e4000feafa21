/**
 * Rebuilds a Responses API `response` object from its stream events: the final
 * `response.completed` (or `.incomplete` / `.failed`) event carries the whole response; if the
 * stream stops before that, the text deltas received so far are kept.
 */
import type { CallResult, StreamAssembler } from '../common/llm-call.js';
import { normalizeTokenUsage } from '../common/token-usage.js';

interface ResponseEvent {
  type?: string;
  delta?: string;
  response?: { usage?: unknown; model?: string } & Record<string, unknown>;
}

export function responsesAssembler(): StreamAssembler {
  let latest: ResponseEvent['response'];
  let text = '';
  return {
    isToken(event) {
      const t = (event as ResponseEvent)?.type;
      return t === 'response.output_text.delta' || t === 'response.function_call_arguments.delta' || t === 'response.refusal.delta';
    },
    add(event) {
      const e = event as ResponseEvent;
      if (!e || typeof e !== 'object') return;
      if (e.response && typeof e.response === 'object') latest = e.response;
      if (e.type === 'response.output_text.delta' && typeof e.delta === 'string') text += e.delta;
    },
    result(): CallResult {
      const complete = latest && Array.isArray((latest as Record<string, unknown>).output) && ((latest as Record<string, unknown>).output as unknown[]).length > 0;
      const outputs = complete ? latest : { ...(latest ?? {}), output_text: text };
      return { outputs, usage: normalizeTokenUsage(latest?.usage) };
    },
  };
}
