/**
 * What an OpenAI Agents SDK span (`span.spanData`, by `type`) becomes: name, span type, inputs,
 * outputs, attributes and token usage. Usage is taken from the model-call spans only
 * (`generation`, `response`); the SDK's `task`/`turn` spans repeat their totals and would count
 * them twice.
 */
import { SpanAttributeKey, SpanType } from '../../model/constants.js';
import type { TokenUsage } from '../../model/span.js';
import { normalizeTokenUsage } from '../common/token-usage.js';
import { normalizeTools } from '../common/tools.js';
import { parseJsonText as parsed } from '../common/json-text.js';

export const PROVIDER = 'openai';

type Data = Record<string, any>;

export interface MappedStart {
  name: string;
  spanType: SpanType;
  inputs?: unknown;
  attributes?: Record<string, unknown>;
}

export interface MappedEnd {
  inputs?: unknown;
  outputs?: unknown;
  usage?: TokenUsage;
  attributes?: Record<string, unknown>;
}

export function mapStart(data: Data): MappedStart {
  switch (data?.type) {
    case 'agent':
      return { name: String(data.name ?? 'Agent'), spanType: SpanType.AGENT, attributes: { 'openai_agents.handoffs': data.handoffs, 'openai_agents.tools': data.tools } };
    case 'function':
      return { name: String(data.name ?? 'tool'), spanType: SpanType.TOOL };
    case 'generation':
      return { name: 'Generation', spanType: SpanType.LLM, attributes: { [SpanAttributeKey.PROVIDER]: PROVIDER } };
    case 'response':
      return { name: 'Response', spanType: SpanType.LLM, attributes: { [SpanAttributeKey.PROVIDER]: PROVIDER, [SpanAttributeKey.MESSAGE_FORMAT]: 'openai' } };
    case 'handoff':
      return { name: 'Handoff', spanType: SpanType.CHAIN };
    case 'guardrail':
      return { name: String(data.name ?? 'guardrail'), spanType: 'GUARDRAIL' };
    case 'task':
      return { name: String(data.name ?? 'task'), spanType: SpanType.CHAIN };
    case 'turn':
      return { name: `Turn ${data.turn ?? ''}`.trim(), spanType: SpanType.CHAIN, attributes: { 'openai_agents.agent': data.agent_name } };
    case 'mcp_tools':
      return { name: 'List MCP tools', spanType: SpanType.TOOL };
    case 'custom':
      return { name: String(data.name ?? 'custom'), spanType: SpanType.UNKNOWN };
    default:
      return { name: String(data?.type ?? 'span'), spanType: SpanType.UNKNOWN };
  }
}

export function mapEnd(data: Data): MappedEnd {
  switch (data?.type) {
    case 'function':
      return { inputs: parsed(data.input), outputs: parsed(data.output), attributes: data.mcp_data ? { 'openai_agents.mcp_data': parsed(data.mcp_data) } : undefined };
    case 'generation': {
      const attributes: Record<string, unknown> = {};
      if (typeof data.model === 'string') attributes[SpanAttributeKey.MODEL] = data.model;
      if (data.model_config) attributes['openai_agents.model_config'] = data.model_config;
      // The SDK sets `usage` on failures only; a successful call's usage is in the response it records.
      const response = Array.isArray(data.output) ? (data.output[0] as Data | undefined) : undefined;
      return { inputs: data.input, outputs: data.output, usage: normalizeTokenUsage(data.usage) ?? normalizeTokenUsage(response?.usage), attributes };
    }
    case 'response': {
      const response = data._response as Data | undefined;
      const attributes: Record<string, unknown> = {};
      if (typeof response?.model === 'string') attributes[SpanAttributeKey.MODEL] = response.model;
      const tools = normalizeTools(response?.tools);
      if (tools) attributes[SpanAttributeKey.CHAT_TOOLS] = tools;
      if (data.response_id) attributes['openai_agents.response_id'] = data.response_id;
      return { inputs: data._input === undefined ? undefined : { input: data._input }, outputs: response, usage: normalizeTokenUsage(response?.usage), attributes };
    }
    case 'handoff':
      return { inputs: { from_agent: data.from_agent }, outputs: { to_agent: data.to_agent } };
    case 'guardrail':
      return { outputs: { triggered: data.triggered } };
    case 'mcp_tools':
      return { inputs: { server: data.server }, outputs: data.result };
    case 'custom':
      return { outputs: data.data };
    case 'agent':
      return { attributes: { 'openai_agents.handoffs': data.handoffs, 'openai_agents.tools': data.tools, 'openai_agents.output_type': data.output_type } };
    default:
      return {};
  }
}
