/**
 * LangChain values in the forms MLflow records: messages in MLflow's chat format
 * (`{ role, content, tool_calls?, tool_call_id?, name? }`, roles user/assistant/system/tool),
 * documents as `{ page_content, metadata, id? }`, generations with their message converted.
 */
import { normalizeTokenUsage } from '../common/token-usage.js';
import type { TokenUsage } from '../../model/span.js';

const ROLE: Record<string, string> = { human: 'user', ai: 'assistant', system: 'system', tool: 'tool', function: 'function', developer: 'developer', generic: 'user' };

interface LcToolCall {
  id?: string;
  name?: string;
  args?: unknown;
}

/** The message's type: `_getType()` in older @langchain/core, `type` in 1.x. */
function typeOf(m: Record<string, unknown>): string | undefined {
  if (typeof m.type === 'string') return m.type;
  const getType = (m as { _getType?: () => string })._getType;
  return typeof getType === 'function' ? getType.call(m) : undefined;
}

export function toChatMessage(message: unknown): unknown {
  if (message === null || typeof message !== 'object') return message;
  const m = message as Record<string, unknown>;
  const type = typeOf(m);
  const out: Record<string, unknown> = { role: (type && ROLE[type]) ?? (typeof m.role === 'string' ? m.role : type ?? 'user'), content: m.content };
  const toolCalls = m.tool_calls as LcToolCall[] | undefined;
  if (Array.isArray(toolCalls) && toolCalls.length > 0) {
    out.tool_calls = toolCalls.map((tc) => ({ id: tc.id, type: 'function', function: { name: tc.name, arguments: JSON.stringify(tc.args ?? {}) } }));
  }
  if (typeof m.tool_call_id === 'string') out.tool_call_id = m.tool_call_id;
  if (typeof m.name === 'string' && m.name) out.name = m.name;
  return out;
}

export function toDocument(doc: unknown): unknown {
  if (doc === null || typeof doc !== 'object') return doc;
  const d = doc as Record<string, unknown>;
  return { page_content: d.pageContent ?? d.page_content, metadata: d.metadata ?? {}, ...(d.id !== undefined ? { id: d.id } : {}) };
}

interface Generation {
  text?: string;
  message?: unknown;
  generationInfo?: unknown;
}

/** An LLMResult with chat messages converted; usage summed over generations. */
export function llmResultOutputs(result: unknown): { outputs: unknown; usage?: TokenUsage } {
  const r = (result ?? {}) as { generations?: Generation[][]; llmOutput?: Record<string, unknown> };
  let usage: TokenUsage | undefined;
  const add = (u: TokenUsage | undefined) => {
    if (!u) return;
    usage ??= { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
    usage.input_tokens += u.input_tokens;
    usage.output_tokens += u.output_tokens;
    usage.total_tokens += u.total_tokens;
    for (const key of ['cache_read_input_tokens', 'cache_creation_input_tokens'] as const) {
      if (u[key] !== undefined) usage[key] = (usage[key] ?? 0) + u[key]!;
    }
  };
  const generations = (r.generations ?? []).map((list) =>
    (list ?? []).map((g) => {
      const message = g.message as { usage_metadata?: unknown; response_metadata?: Record<string, unknown> } | undefined;
      add(normalizeTokenUsage(message?.usage_metadata));
      return { text: g.text, ...(g.message ? { message: toChatMessage(g.message) } : {}), ...(g.generationInfo ? { generation_info: g.generationInfo } : {}) };
    }),
  );
  if (!usage) add(normalizeTokenUsage(r.llmOutput?.tokenUsage ?? r.llmOutput?.usage));
  return { outputs: { generations, ...(r.llmOutput ? { llm_output: r.llmOutput } : {}) }, usage };
}
