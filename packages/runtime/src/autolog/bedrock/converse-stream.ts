/**
 * Rebuilds a Bedrock `Converse` response from `ConverseStream` events (messageStart,
 * contentBlockStart/Delta/Stop, messageStop, metadata): text and reasoning concatenated per
 * block, toolUse input parsed from its JSON pieces, usage and metrics from `metadata`.
 */
import type { CallResult, StreamAssembler } from '../common/llm-call.js';
import { normalizeTokenUsage } from '../common/token-usage.js';

type Block = { text?: string; reasoning?: string; toolUse?: { toolUseId?: string; name?: string; input?: unknown }; json?: string };
interface Event {
  messageStart?: { role?: string };
  contentBlockStart?: { contentBlockIndex?: number; start?: { toolUse?: { toolUseId?: string; name?: string } } };
  contentBlockDelta?: { contentBlockIndex?: number; delta?: { text?: string; toolUse?: { input?: string }; reasoningContent?: { text?: string } } };
  messageStop?: { stopReason?: string };
  metadata?: { usage?: unknown; metrics?: unknown };
}

function contentOf(block: Block): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (block.reasoning !== undefined) out.push({ reasoningContent: { reasoningText: { text: block.reasoning } } });
  if (block.text !== undefined) out.push({ text: block.text });
  if (block.toolUse) {
    let input: unknown = block.json ?? {};
    try {
      input = block.json ? JSON.parse(block.json) : {};
    } catch {
      /* cut off mid-JSON: keep the text */
    }
    out.push({ toolUse: { ...block.toolUse, input } });
  }
  return out;
}

export function converseStreamAssembler(): StreamAssembler {
  let role = 'assistant';
  const blocks: Block[] = [];
  let stopReason: string | undefined;
  let metadata: Event['metadata'];
  const block = (i: number | undefined) => (blocks[i ?? 0] ??= {});
  return {
    isToken: (e) => !!(e as Event)?.contentBlockDelta,
    add(event) {
      const e = event as Event;
      if (!e || typeof e !== 'object') return;
      if (e.messageStart?.role) role = e.messageStart.role;
      if (e.contentBlockStart?.start?.toolUse) block(e.contentBlockStart.contentBlockIndex).toolUse = { ...e.contentBlockStart.start.toolUse };
      const d = e.contentBlockDelta;
      if (d?.delta) {
        const b = block(d.contentBlockIndex);
        if (typeof d.delta.text === 'string') b.text = (b.text ?? '') + d.delta.text;
        if (typeof d.delta.reasoningContent?.text === 'string') b.reasoning = (b.reasoning ?? '') + d.delta.reasoningContent.text;
        if (typeof d.delta.toolUse?.input === 'string') b.json = (b.json ?? '') + d.delta.toolUse.input;
      }
      if (e.messageStop?.stopReason) stopReason = e.messageStop.stopReason;
      if (e.metadata) metadata = e.metadata;
    },
    result(): CallResult {
      const outputs = {
        output: { message: { role, content: blocks.filter(Boolean).flatMap(contentOf) } },
        ...(stopReason ? { stopReason } : {}),
        ...(metadata?.usage ? { usage: metadata.usage } : {}),
        ...(metadata?.metrics ? { metrics: metadata.metrics } : {}),
      };
      return { outputs, usage: normalizeTokenUsage(metadata?.usage) };
    },
  };
}
