/**
 * The viewer's chat view reads the request/response shapes the provider autolog integrations
 * record (what each span stores as inputs and outputs), not only OpenAI's and Anthropic's.
 */
import { expect, test } from 'vitest';
// @ts-expect-error plain browser module without types
import { chatOf } from '../../static/js/chat.js';

const flat = (messages: Array<{ role: string; parts: Array<{ kind: string; text: string }> }>) => messages.map((m) => [m.role, ...m.parts.map((p) => `${p.kind}:${p.text}`)]);

test('Gemini: contents and systemInstruction in, candidates (text + functionCall) out', () => {
  const inputs = { model: 'gemini-2.5-flash', contents: [{ role: 'user', parts: [{ text: 'find docs' }] }], config: { systemInstruction: 'be brief' } };
  const outputs = { candidates: [{ content: { role: 'model', parts: [{ text: 'Calling a tool.' }, { functionCall: { name: 'search_docs', args: { query: 'x' } } }] } }] };
  expect(flat(chatOf(inputs, outputs))).toEqual([
    ['system', 'text:be brief'],
    ['user', 'text:find docs'],
    ['assistant', 'text:Calling a tool.', 'tool:search_docs({"query":"x"})'],
  ]);
  expect(flat(chatOf({ model: 'g', contents: 'hello' }, undefined))).toEqual([['user', 'text:hello']]);
});

test('Bedrock Converse: system blocks and messages in, output.message with toolUse out', () => {
  const inputs = { modelId: 'amazon.nova-lite-v1:0', system: [{ text: 'be brief' }], messages: [{ role: 'user', content: [{ text: 'find docs' }] }] };
  const outputs = { output: { message: { role: 'assistant', content: [{ text: 'Let me check.' }, { toolUse: { toolUseId: 't1', name: 'search_docs', input: { query: 'x' } } }] } }, stopReason: 'tool_use' };
  expect(flat(chatOf(inputs, outputs))).toEqual([
    ['system', 'text:be brief'],
    ['user', 'text:find docs'],
    ['assistant', 'text:Let me check.', 'tool:search_docs({"query":"x"})'],
  ]);
});

test('Ollama and Cohere: a top-level assistant message out (tool_calls / toolCalls)', () => {
  const inputs = { model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] };
  expect(flat(chatOf(inputs, { model: 'llama3.2', message: { role: 'assistant', content: 'Echo: hi' }, done: true }))).toEqual([['user', 'text:hi'], ['assistant', 'text:Echo: hi']]);
  const cohere = { id: 'c', finishReason: 'TOOL_CALL', message: { role: 'assistant', toolPlan: 'I will search.', toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'search_docs', arguments: '{"query":"x"}' } }] } };
  expect(flat(chatOf(inputs, cohere))).toEqual([['user', 'text:hi'], ['assistant', 'tool:search_docs({"query":"x"})']]);
});
