/**
 * Rebuilds a `chat.completion` object from `chat.completion.chunk`s, as the non-streamed API
 * would have returned it: content and tool-call arguments concatenated per choice, the usage
 * from the final chunk (sent with `stream_options.include_usage`).
 */
import type { CallResult, StreamAssembler } from '../common/llm-call.js';
import { normalizeTokenUsage } from '../common/token-usage.js';
import { SpanAttributeKey } from '../../model/constants.js';

interface ToolCallDelta {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}
interface ChoiceDelta {
  index?: number;
  delta?: { role?: string; content?: string | null; refusal?: string | null; tool_calls?: ToolCallDelta[] };
  finish_reason?: string | null;
  logprobs?: unknown;
}
interface Chunk {
  id?: string;
  model?: string;
  created?: number;
  system_fingerprint?: string;
  service_tier?: string;
  choices?: ChoiceDelta[];
  usage?: unknown;
}

interface ChoiceState {
  role: string;
  content: string | null;
  refusal: string | null;
  toolCalls: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
  finishReason: string | null;
}

export function chatCompletionAssembler(): StreamAssembler {
  const choices = new Map<number, ChoiceState>();
  let head: Chunk = {};
  let usage: unknown;
  return {
    isToken(chunk) {
      const c = chunk as Chunk;
      return !!c?.choices?.some((ch) => !!ch.delta?.content || !!ch.delta?.tool_calls?.length || !!ch.delta?.refusal);
    },
    add(chunk) {
      const c = chunk as Chunk;
      if (!c || typeof c !== 'object') return;
      if (!head.id && c.id) head = c;
      if (c.usage) usage = c.usage;
      for (const ch of c.choices ?? []) {
        const index = ch.index ?? 0;
        let state = choices.get(index);
        if (!state) choices.set(index, (state = { role: 'assistant', content: null, refusal: null, toolCalls: [], finishReason: null }));
        const d = ch.delta ?? {};
        if (d.role) state.role = d.role;
        if (typeof d.content === 'string') state.content = (state.content ?? '') + d.content;
        if (typeof d.refusal === 'string') state.refusal = (state.refusal ?? '') + d.refusal;
        for (const tc of d.tool_calls ?? []) {
          const at = tc.index ?? state.toolCalls.length;
          const call = (state.toolCalls[at] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
          if (tc.id) call.id = tc.id;
          if (tc.type) call.type = tc.type;
          if (tc.function?.name) call.function.name += tc.function.name;
          if (tc.function?.arguments) call.function.arguments += tc.function.arguments;
        }
        if (ch.finish_reason) state.finishReason = ch.finish_reason;
      }
    },
    result(): CallResult {
      const outputs = {
        id: head.id,
        object: 'chat.completion',
        created: head.created,
        model: head.model,
        ...(head.system_fingerprint ? { system_fingerprint: head.system_fingerprint } : {}),
        choices: [...choices.entries()]
          .sort(([a], [b]) => a - b)
          .map(([index, s]) => ({
            index,
            message: {
              role: s.role,
              content: s.content,
              ...(s.refusal !== null ? { refusal: s.refusal } : {}),
              ...(s.toolCalls.length ? { tool_calls: s.toolCalls.filter(Boolean) } : {}),
            },
            finish_reason: s.finishReason,
          })),
        ...(usage ? { usage } : {}),
      };
      return {
        outputs,
        usage: normalizeTokenUsage(usage),
        attributes: head.model ? { [SpanAttributeKey.MODEL]: head.model } : undefined,
      };
    },
  };
}
