/**
 * Rebuilds an Anthropic `message` from its stream events (message_start, content_block_start/
 * delta/stop, message_delta, message_stop): text and thinking concatenated, tool_use input
 * parsed from its JSON deltas, usage from message_start merged with message_delta's.
 */
import { SpanAttributeKey } from '../../model/constants.js';
import type { CallResult, StreamAssembler } from '../common/llm-call.js';
import { normalizeTokenUsage } from '../common/token-usage.js';

type Block = Record<string, unknown> & { type?: string };
interface StreamEvent {
  type?: string;
  index?: number;
  message?: Record<string, unknown> & { usage?: Record<string, unknown>; model?: string };
  content_block?: Block;
  delta?: Record<string, unknown> & { type?: string };
  usage?: Record<string, unknown>;
}

export function messageAssembler(): StreamAssembler {
  let message: Record<string, unknown> = {};
  let usage: Record<string, unknown> = {};
  const blocks: Block[] = [];
  const json = new Map<number, string>();
  const finishBlock = (index: number) => {
    const partial = json.get(index);
    const block = blocks[index];
    if (partial === undefined || !block) return;
    json.delete(index);
    try {
      block.input = partial ? JSON.parse(partial) : {};
    } catch {
      block.input = partial; // cut off mid-JSON: keep what arrived
    }
  };
  return {
    isToken: (e) => (e as StreamEvent)?.type === 'content_block_delta',
    add(event) {
      const e = event as StreamEvent;
      switch (e?.type) {
        case 'message_start':
          message = { ...(e.message ?? {}) };
          usage = { ...(e.message?.usage ?? {}) };
          break;
        case 'content_block_start':
          blocks[e.index ?? blocks.length] = { ...(e.content_block ?? {}) };
          if (e.content_block?.type === 'tool_use' || e.content_block?.type === 'server_tool_use') json.set(e.index ?? blocks.length - 1, '');
          break;
        case 'content_block_delta': {
          const block = blocks[e.index ?? 0];
          const d = e.delta ?? {};
          if (!block) break;
          if (d.type === 'text_delta') block.text = String(block.text ?? '') + String(d.text ?? '');
          else if (d.type === 'input_json_delta') json.set(e.index ?? 0, (json.get(e.index ?? 0) ?? '') + String(d.partial_json ?? ''));
          else if (d.type === 'thinking_delta') block.thinking = String(block.thinking ?? '') + String(d.thinking ?? '');
          else if (d.type === 'signature_delta') block.signature = String(d.signature ?? '');
          break;
        }
        case 'content_block_stop':
          finishBlock(e.index ?? 0);
          break;
        case 'message_delta':
          Object.assign(message, e.delta ?? {});
          for (const [k, v] of Object.entries(e.usage ?? {})) if (v !== null && v !== undefined) usage[k] = v;
          break;
      }
    },
    result(): CallResult {
      for (const index of [...json.keys()]) finishBlock(index);
      const outputs = { ...message, content: blocks.filter(Boolean), usage };
      return {
        outputs,
        usage: normalizeTokenUsage(usage),
        attributes: typeof message.model === 'string' ? { [SpanAttributeKey.MODEL]: message.model } : undefined,
      };
    },
  };
}
