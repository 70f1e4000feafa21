/**
 * Tool definitions in the form MLflow records under `mlflow.chat.tools` (spec §4.3):
 * OpenAI-style `{ type: "function", function: { name, description, parameters } }`.
 */
export interface ChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: unknown };
}

function fromOne(tool: unknown): ChatTool | undefined {
  if (tool === null || typeof tool !== 'object') return undefined;
  const t = tool as Record<string, unknown>;
  // OpenAI chat completions: already in this form.
  const fn = t.function as Record<string, unknown> | undefined;
  if (t.type === 'function' && fn && typeof fn.name === 'string') {
    return { type: 'function', function: { name: fn.name, description: fn.description as string | undefined, parameters: fn.parameters } };
  }
  if (typeof t.name !== 'string') return undefined;
  // OpenAI Responses (`{type:"function", name, parameters}`), Anthropic (`input_schema`),
  // LangChain tool schemas (`schema`), the AI SDK (`inputSchema`).
  return {
    type: 'function',
    function: {
      name: t.name,
      description: typeof t.description === 'string' ? t.description : undefined,
      parameters: t.parameters ?? t.input_schema ?? t.inputSchema ?? t.schema,
    },
  };
}

/** Normalizes a provider's tool list; built-in tools without a name are left out. */
export function normalizeTools(tools: unknown): ChatTool[] | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  const out: ChatTool[] = [];
  for (const tool of tools) {
    const t = fromOne(tool);
    if (t) out.push(t);
  }
  return out.length > 0 ? out : undefined;
}
