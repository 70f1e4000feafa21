// Chat formats (OpenAI chat/responses, Anthropic messages, Gemini contents, Bedrock Converse, Mistral,
// Ollama, Cohere) → normalized messages, and their rendering.

import { h } from './dom.js';
import { objectOf } from './format.js';

/** Normalizes message content to [{kind, text}] parts. */
function partsOf(content) {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [{ kind: 'text', text: content }];
  if (!Array.isArray(content)) return [{ kind: 'json', text: JSON.stringify(content, null, 2) }];
  const parts = [];
  for (const block of content) {
    if (typeof block === 'string') parts.push({ kind: 'text', text: block });
    else if (!block || typeof block !== 'object') continue;
    else if (typeof block.text === 'string') parts.push({ kind: 'text', text: block.text });
    else if (block.functionCall) parts.push({ kind: 'tool', text: `${block.functionCall.name}(${JSON.stringify(block.functionCall.args ?? {})})` });
    else if (block.toolUse) parts.push({ kind: 'tool', text: `${block.toolUse.name}(${JSON.stringify(block.toolUse.input ?? {})})` });
    else if (block.functionResponse) parts.push({ kind: 'tool', text: JSON.stringify(block.functionResponse.response ?? {}) });
    else if (block.toolResult) parts.push({ kind: 'tool', text: partsOf(block.toolResult.content).map((p) => p.text).join('\n') || '(empty tool result)' });
    else if (block.type === 'tool_use') parts.push({ kind: 'tool', text: `${block.name}(${JSON.stringify(block.input ?? {})})` });
    else if (block.type === 'tool_result') parts.push({ kind: 'tool', text: partsOf(block.content).map((p) => p.text).join('\n') || '(empty tool result)' });
    else if (block.type === 'image_url' || block.type === 'image' || block.type === 'input_image') parts.push({ kind: 'note', text: '[image]' });
    else if (block.type === 'refusal') parts.push({ kind: 'note', text: `refusal: ${block.refusal ?? ''}` });
    else parts.push({ kind: 'json', text: JSON.stringify(block) });
  }
  return parts;
}

function messageOf(m) {
  if (!m || typeof m !== 'object') return undefined;
  // Gemini says "model" for the assistant and keeps the content in `parts`.
  const role = m.role === 'model' ? 'assistant' : String(m.role ?? (m.type === 'function_call' ? 'assistant' : m.type === 'function_call_output' ? 'tool' : 'unknown'));
  const parts = partsOf(m.content ?? m.parts);
  for (const call of Array.isArray(m.tool_calls) ? m.tool_calls : Array.isArray(m.toolCalls) ? m.toolCalls : []) {
    const fn = call.function ?? call;
    parts.push({ kind: 'tool', text: `${fn.name ?? 'tool'}(${typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {})})` });
  }
  if (m.type === 'function_call') parts.push({ kind: 'tool', text: `${m.name}(${m.arguments ?? ''})` });
  if (m.type === 'function_call_output') parts.push({ kind: 'text', text: String(m.output ?? '') });
  return { role, parts };
}

/** Chat messages found in a span's inputs or outputs, in order; [] if it is not a chat. */
export function chatOf(inputs, outputs) {
  const messages = [];
  const ins = objectOf(inputs);
  if (ins) {
    if (ins.system !== undefined) messages.push({ role: 'system', parts: partsOf(ins.system) });
    if (typeof ins.instructions === 'string') messages.push({ role: 'system', parts: partsOf(ins.instructions) });
    const instruction = objectOf(ins.config)?.systemInstruction;
    if (instruction !== undefined) messages.push({ role: 'system', parts: typeof instruction === 'string' ? partsOf(instruction) : partsOf(instruction.parts ?? instruction) });
    if (Array.isArray(ins.messages)) messages.push(...ins.messages.map(messageOf).filter(Boolean));
    else if (typeof ins.contents === 'string') messages.push({ role: 'user', parts: partsOf(ins.contents) });
    else if (Array.isArray(ins.contents)) messages.push(...ins.contents.map((c) => (typeof c === 'string' ? { role: 'user', parts: partsOf(c) } : messageOf({ role: 'user', ...c }))).filter(Boolean));
    else if (typeof ins.input === 'string' && (ins.model !== undefined || ins.instructions !== undefined)) messages.push({ role: 'user', parts: partsOf(ins.input) });
    else if (Array.isArray(ins.input)) messages.push(...ins.input.map(messageOf).filter(Boolean));
  } else if (Array.isArray(inputs) && inputs.every((m) => m && typeof m === 'object' && 'role' in m)) {
    messages.push(...inputs.map(messageOf));
  }
  const outs = objectOf(outputs);
  if (outs) {
    if (Array.isArray(outs.choices)) {
      for (const c of outs.choices) if (c?.message) messages.push(messageOf({ role: 'assistant', ...c.message }));
    } else if (Array.isArray(outs.candidates)) {
      for (const c of outs.candidates) if (c?.content) messages.push(messageOf({ role: 'model', ...c.content }));
    } else if (objectOf(objectOf(outs.output)?.message)) {
      messages.push(messageOf({ role: 'assistant', ...outs.output.message }));
    } else if (objectOf(outs.message) && (outs.message.role === 'assistant' || outs.message.role === undefined)) {
      messages.push(messageOf({ role: 'assistant', ...outs.message }));
    } else if (Array.isArray(outs.content) && (outs.role === 'assistant' || outs.type === 'message')) {
      messages.push({ role: 'assistant', parts: partsOf(outs.content) });
    } else if (Array.isArray(outs.output)) {
      for (const item of outs.output) {
        const m = messageOf(item?.type === 'message' ? { role: item.role ?? 'assistant', content: item.content } : item);
        if (m && m.parts.length) messages.push(m);
      }
    }
  }
  return messages.filter((m) => m && m.parts.length);
}

export function renderChat(messages) {
  return h(
    'div.chat',
    null,
    messages.map((m) =>
      h(
        `div.msg.role-${/^[a-z_]+$/.test(m.role) ? m.role : 'unknown'}`,
        null,
        h('div.msg-role', null, m.role),
        m.parts.map((p) => h(`div.msg-part.part-${p.kind}`, null, p.kind === 'tool' ? ['tool call › ', p.text] : p.text)),
      ),
    ),
  );
}
