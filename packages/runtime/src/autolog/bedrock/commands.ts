/**
 * How the Bedrock Runtime commands sent through `client.send(command)` become spans: Converse
 * and ConverseStream (Bedrock's own message format), InvokeModel and
 * InvokeModelWithResponseStream (the model's native JSON body, decoded; Anthropic models keep
 * the `anthropic` message format and their stream is assembled like the Anthropic SDK's).
 * Only `command.input` is recorded: credentials and signatures live in the client and the
 * signed request, which are never read.
 */
import { SpanType } from '../../model/constants.js';
import type { CallDescription, CallResult, StreamAssembler } from '../common/llm-call.js';
import { normalizeTokenUsage } from '../common/token-usage.js';
import { normalizeTools } from '../common/tools.js';
import { messageAssembler } from '../anthropic/message-stream.js';
import { converseStreamAssembler } from './converse-stream.js';

export type CommandKind = 'Converse' | 'ConverseStream' | 'InvokeModel' | 'InvokeModelWithResponseStream';
export const COMMAND_KINDS: readonly CommandKind[] = ['Converse', 'ConverseStream', 'InvokeModel', 'InvokeModelWithResponseStream'];

const PROVIDER = 'bedrock';
const decoder = new TextDecoder();

/** A body (string or bytes) as JSON when it is JSON, else as text; undefined stays undefined. */
export function decodeBody(body: unknown): unknown {
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) text = decoder.decode(body);
  if (text === undefined) return body;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const isAnthropic = (modelId: unknown) => typeof modelId === 'string' && /(^|[.:/])anthropic\./.test(modelId);

/** Converse `toolConfig.tools[].toolSpec` in chat-tools form. */
function converseTools(input: Record<string, unknown>): ReturnType<typeof normalizeTools> {
  const tools = (input.toolConfig as { tools?: Array<{ toolSpec?: Record<string, unknown> }> } | undefined)?.tools;
  if (!Array.isArray(tools)) return undefined;
  return normalizeTools(tools.map((t) => t?.toolSpec && { ...t.toolSpec, parameters: (t.toolSpec.inputSchema as { json?: unknown } | undefined)?.json }).filter(Boolean));
}

function converseResponse(value: unknown): CallResult {
  return { outputs: value, usage: normalizeTokenUsage((value as { usage?: unknown } | null)?.usage) };
}

/** A native-body usage: Anthropic/Nova `usage`, else the invocation metrics some models add. */
function bodyUsage(body: unknown): ReturnType<typeof normalizeTokenUsage> {
  const b = body as Record<string, unknown> | null;
  return normalizeTokenUsage(b?.usage) ?? normalizeTokenUsage(b?.['amazon-bedrock-invocationMetrics']);
}

function invokeResponse(value: unknown): CallResult {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== 'object') return { outputs: value };
  const body = decodeBody(v.body);
  return { outputs: { ...v, body }, usage: bodyUsage(body) };
}

/** InvokeModelWithResponseStream: `{ chunk: { bytes } }` events holding the model's own stream events. */
function invokeStreamAssembler(anthropic: boolean): () => StreamAssembler {
  return () => {
    const inner = anthropic ? messageAssembler() : undefined;
    const chunks: unknown[] = [];
    let metrics: unknown;
    const decode = (event: unknown) => decodeBody((event as { chunk?: { bytes?: unknown } } | null)?.chunk?.bytes);
    return {
      isToken: (event) => {
        const e = decode(event) as Record<string, unknown> | undefined;
        return inner ? inner.isToken(e) : e !== undefined;
      },
      add(event) {
        const e = decode(event) as Record<string, unknown> | undefined;
        if (e === undefined) return;
        if (e && typeof e === 'object' && e['amazon-bedrock-invocationMetrics']) metrics = e['amazon-bedrock-invocationMetrics'];
        if (inner) inner.add(e);
        else chunks.push(e);
      },
      result(): CallResult {
        if (inner) {
          const r = inner.result();
          return r.usage ? r : { ...r, usage: normalizeTokenUsage(metrics) };
        }
        return { outputs: chunks, usage: normalizeTokenUsage(metrics) };
      },
    };
  };
}

export function describeCommand(kind: CommandKind, input: Record<string, unknown>): CallDescription {
  const modelId = input.modelId;
  const base = { name: kind, spanType: SpanType.LLM, provider: PROVIDER, model: modelId };
  if (kind === 'Converse' || kind === 'ConverseStream') {
    return {
      ...base,
      messageFormat: 'bedrock',
      inputs: input,
      tools: converseTools(input),
      response: converseResponse,
      stream: converseStreamAssembler,
      streamProperty: 'stream',
    };
  }
  const body = decodeBody(input.body);
  const anthropic = isAnthropic(modelId);
  return {
    ...base,
    messageFormat: anthropic ? 'anthropic' : undefined,
    inputs: { ...input, body },
    tools: normalizeTools((body as { tools?: unknown } | null)?.tools),
    response: invokeResponse,
    stream: invokeStreamAssembler(anthropic),
    streamProperty: 'body',
  };
}

