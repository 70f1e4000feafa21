/**
 * SDK telemetry that carries structured values as JSON text (the AI SDK's `ai.prompt.messages`,
 * the Agents SDK's tool `input`/`output`): recorded as the value it encodes, or as the text
 * itself when it is not JSON.
 */
export function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
