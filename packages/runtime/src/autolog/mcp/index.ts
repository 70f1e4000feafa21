/**
 * `@tracewright/runtime/mcp`: traces the Model Context Protocol TypeScript SDK
 * (`@modelcontextprotocol/sdk`).
 *
 *   import { autolog } from '@tracewright/runtime/mcp';
 *   autolog();
 *
 * Client: `callTool` (TOOL), `readResource` (RETRIEVER), `getPrompt` (CHAIN), `listTools`,
 * each carrying its span's `traceparent`/`tracestate` in the request's `params._meta`.
 * Server: the `tools/call`, `resources/read` and `prompts/get` handlers (McpServer's or a
 * low-level Server's) become spans that continue the caller's trace from `params._meta`.
 * Handlers registered before autolog() are traced too (see patchServer).
 */
import { createAutolog, type AutologOptions, type AutologResult } from '../common/autolog.js';
import { observeAwait } from '../common/autolog-order.js';
import { patchMethod } from '../common/patch-registry.js';
import { traceClientCall, traceServerHandler } from './calls.js';

export type { AutologOptions, AutologResult } from '../common/autolog.js';

type Ctor = Function & { prototype: Record<string, unknown> };

const CLIENT_METHODS: Record<string, string> = { callTool: 'tools/call', readResource: 'resources/read', getPrompt: 'prompts/get', listTools: 'tools/list' };

function patchClient(mod: Record<string, unknown> | undefined): boolean {
  const Client = mod?.Client as Ctor | undefined;
  if (typeof Client !== 'function') return false;
  for (const [key, method] of Object.entries(CLIENT_METHODS)) {
    patchMethod('mcp', Client.prototype, key, (original) =>
      function (this: unknown, ...args: unknown[]) {
        return traceClientCall(method, original, this, args);
      },
    );
  }
  return true;
}

/** Protocol's internals the server patch relies on (SDK 1.x): the handler map and the request entry point. */
interface ProtocolInternals {
  _requestHandlers?: unknown;
}

/**
 * Server handlers are traced where each request is dispatched (`_onrequest`), so handlers
 * registered before autolog() (McpServer installs its own on the first registerTool()) are
 * traced too: for the one synchronous lookup the dispatcher makes, the registered handler is
 * swapped for a traced call of itself, then put back; the map is never left changed. An SDK
 * without that entry point gets its handlers traced as they are registered instead.
 */
function patchServer(mod: Record<string, unknown> | undefined): boolean {
  const Server = mod?.Server as Ctor | undefined;
  if (typeof Server !== 'function') return false;
  if (typeof Server.prototype._onrequest === 'function') {
    patchMethod('mcp-server', Server.prototype, '_onrequest', (original) =>
      function (this: ProtocolInternals, request: unknown, ...rest: unknown[]) {
        const handlers = this._requestHandlers;
        const method = (request as { method?: unknown } | null)?.method;
        const handler = handlers instanceof Map && typeof method === 'string' ? handlers.get(method) : undefined;
        if (typeof handler !== 'function') return original.call(this, request, ...rest);
        (handlers as Map<string, unknown>).set(method as string, function (this: unknown, ...args: unknown[]) {
          return traceServerHandler(handler, this, args);
        });
        try {
          return original.call(this, request, ...rest);
        } finally {
          (handlers as Map<string, unknown>).set(method as string, handler);
        }
      },
    );
    return true;
  }
  patchMethod('mcp-server', Server.prototype, 'setRequestHandler', (original) =>
    function (this: unknown, schema: unknown, handler: unknown, ...rest: unknown[]) {
      if (typeof handler !== 'function') return original.call(this, schema, handler, ...rest);
      const traced = function (this: unknown, ...args: unknown[]) {
        return traceServerHandler(handler, this, args);
      };
      return original.call(this, schema, traced, ...rest);
    },
  );
  return true;
}

const client = createAutolog({ name: 'mcp', specifier: '@modelcontextprotocol/sdk/client/index.js', identity: 'Client', patchCopy: patchClient });
const server = createAutolog({ name: 'mcp-server', subpath: 'mcp', specifier: '@modelcontextprotocol/sdk/server/index.js', identity: 'Server', patchCopy: patchServer });

/**
 * Instruments the MCP SDK's Client and Server in both module copies. Idempotent; the CommonJS
 * copies are patched before this returns, the ES module copies when the promise settles (and
 * before a later `import()` of the SDK by the program resolves). `{ disable: true }` restores.
 */
export function autolog(options: AutologOptions = {}): Promise<AutologResult> {
  return observeAwait(async (awaited) => {
    const [c, s] = await Promise.all([client(options, awaited), server(options, awaited)]);
    return { copies: c.copies + s.copies, patchedMethods: c.patchedMethods + s.patchedMethods };
  });
}
