/**
 * How MCP requests become spans, on both sides of the connection: `tools/call` → TOOL (named
 * after the tool), `resources/read` → RETRIEVER (named after the URI), `prompts/get` → CHAIN,
 * `tools/list` → UNKNOWN. The client puts the W3C trace context of its span into
 * `params._meta` (`traceparent` / `tracestate`), and the server continues that trace.
 */
import { SpanType } from '../../model/constants.js';
import { getTracingContextHeadersForHttpRequest, withTracingContextFromHeaders } from '../../api/distributed.js';
import { reportInternalError } from '../../core/diagnostics.js';
import { traceSdkCall, type CallDescription, type CallResult } from '../common/llm-call.js';

export const PROVIDER = 'mcp';

type Params = Record<string, unknown> & { _meta?: Record<string, unknown> };

const TRACED: Record<string, { spanType: SpanType; name: (p: Params) => string; inputs: (p: Params) => unknown }> = {
  'tools/call': { spanType: SpanType.TOOL, name: (p) => String(p.name ?? 'tool'), inputs: (p) => p.arguments ?? {} },
  'resources/read': { spanType: SpanType.RETRIEVER, name: (p) => String(p.uri ?? 'resource'), inputs: (p) => ({ uri: p.uri }) },
  'prompts/get': { spanType: SpanType.CHAIN, name: (p) => String(p.name ?? 'prompt'), inputs: (p) => p.arguments ?? {} },
  'tools/list': { spanType: SpanType.UNKNOWN, name: () => 'tools/list', inputs: (p) => p },
};

function toolResult(value: unknown): CallResult {
  const v = value as { isError?: unknown } | null;
  // A tool failure is a normal result with isError (the protocol's rule), so it is kept as data.
  return { outputs: value, attributes: v?.isError === true ? { 'mcp.tool.isError': true } : undefined };
}

function describe(method: string, params: Params | undefined, side: 'client' | 'server'): CallDescription {
  const spec = TRACED[method]!;
  const p = params ?? {};
  return {
    name: spec.name(p),
    spanType: spec.spanType,
    provider: PROVIDER,
    inputs: spec.inputs(p),
    response: (value) => ({ ...toolResult(value), attributes: { ...toolResult(value).attributes, 'mcp.method': method, 'mcp.side': side } }),
    stream: () => ({ add() {}, isToken: () => false, result: () => ({ outputs: undefined }) }),
  };
}

/** `params` with the active span's trace context in `_meta` (a copy; the caller's object is untouched). */
function withTraceMeta(params: unknown): unknown {
  try {
    const headers = getTracingContextHeadersForHttpRequest() as { traceparent?: string; tracestate?: string };
    if (!headers.traceparent || params === null || typeof params !== 'object') return params;
    const p = params as Params;
    if (p._meta && typeof p._meta === 'object' && 'traceparent' in p._meta) return params; // the caller set its own
    return { ...p, _meta: { ...(p._meta ?? {}), ...headers } };
  } catch (error) {
    reportInternalError('mcp: trace context in _meta', error);
    return params;
  }
}

/** A client method (`callTool(params, ...)`, `readResource(params, ...)`, ...) traced under `method`. */
export function traceClientCall(method: string, original: Function, self: unknown, args: unknown[]): unknown {
  const [params, ...rest] = args;
  const send = function (this: unknown) {
    return original.call(this, withTraceMeta(params), ...rest);
  };
  return traceSdkCall(() => describe(method, params as Params, 'client'), send, self, args);
}

/** A server request handler `(request, extra)`, traced for the methods above, continuing the caller's trace. */
export function traceServerHandler(handler: Function, self: unknown, args: unknown[]): unknown {
  const request = args[0] as { method?: string; params?: Params } | undefined;
  const method = request?.method;
  if (!method || !TRACED[method] || method === 'tools/list') return handler.apply(self, args);
  return withTracingContextFromHeaders(request.params?._meta ?? {}, () => traceSdkCall(() => describe(method, request.params, 'server'), handler, self, args));
}
