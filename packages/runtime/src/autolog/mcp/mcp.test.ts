/**
 * The real MCP SDK: an McpServer and a Client connected over the SDK's in-memory transport,
 * both instrumented, over Streamable HTTP on 127.0.0.1 and over stdio to a server process; the client's trace context travels
 * in `params._meta`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { z } from 'zod';
import { tree, useMemoryDestination } from '../../core/__tests__/memory.js';
import { withSpan } from '../../api/spans.js';
import { SpanType } from '../../model/constants.js';
import { patchedCount } from '../common/patch-registry.js';
import { until } from '../testing/traces.js';
import type { Span } from '../../model/span.js';
import type { Trace } from '../../model/trace.js';
import { autolog } from './index.js';

const memory = useMemoryDestination();

/** The span a continued part of a trace starts from (its parent is the client's span, in another part). */
function partRoot(trace: Trace): Span {
  const ids = new Set(trace.data.spans.map((s) => s.spanId));
  return trace.data.spans.find((s) => !s.parentId || !ids.has(s.parentId))!;
}
let client: Client;
let server: McpServer;
const seenMeta: unknown[] = [];

beforeAll(async () => {
  autolog(); // no await: the CommonJS copies are patched now, the ES module copies before the imports above are used
  await autolog();
  server = new McpServer({ name: 'docs', version: '1.0.0' });
  server.registerTool('lookup', { description: 'Look up the docs', inputSchema: { query: z.string() } }, async ({ query }, extra) => {
    seenMeta.push(extra._meta);
    if (query === 'boom') throw new Error('lookup exploded');
    const inner = await withSpan(async () => `docs about ${query}`, { name: 'search-index', spanType: SpanType.RETRIEVER });
    return { content: [{ type: 'text', text: inner }] };
  });
  server.registerResource('readme', 'docs://readme', { mimeType: 'text/plain' }, async (uri) => ({ contents: [{ uri: uri.href, text: 'Read me first' }] }));
  server.registerPrompt('summarize', { argsSchema: { topic: z.string() } }, ({ topic }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Summarize ${topic}` } }] }));
  const [a, b] = InMemoryTransport.createLinkedPair();
  client = new Client({ name: 'app', version: '1.0.0' });
  await Promise.all([server.connect(a), client.connect(b)]);
});
afterAll(async () => {
  await client.close();
  await server.close();
  await autolog({ disable: true });
});

describe('client and server', () => {
  test('callTool: a TOOL span under the caller; the server handler continues the same trace under it', async () => {
    const params = { name: 'lookup', arguments: { query: 'spans' } };
    const result = await withSpan(() => client.callTool(params), { name: 'request', spanType: SpanType.CHAIN });
    expect(result.content).toEqual([{ type: 'text', text: 'docs about spans' }]);
    expect(params).toEqual({ name: 'lookup', arguments: { query: 'spans' } }); // the caller's object is not touched
    await until(() => memory.traces.length === 2, 'client and server traces');
    const clientTrace = memory.traces.find((t) => t.data.spans.some((s) => s.name === 'request'))!;
    const serverTrace = memory.traces.find((t) => t !== clientTrace)!;
    expect(tree(clientTrace)).toMatchObject({ name: 'request', children: [{ name: 'lookup', type: 'TOOL', inputs: { query: 'spans' }, outputs: result, children: [] }] });
    const clientTool = clientTrace.data.spans.find((s) => s.name === 'lookup')!;
    const serverRoot = partRoot(serverTrace);
    expect(serverRoot).toMatchObject({ name: 'lookup', spanType: 'TOOL', inputs: { query: 'spans' } });
    expect(serverRoot.getAttribute('mcp.side')).toBe('server');
    expect(serverTrace.data.spans.find((s) => s.parentId === serverRoot.spanId)).toMatchObject({ name: 'search-index', spanType: 'RETRIEVER' });
    expect(serverTrace.info.traceId).toBe(clientTrace.info.traceId);
    expect(serverRoot.parentId).toBe(clientTool.spanId);
    expect((seenMeta.at(-1) as { traceparent: string }).traceparent).toMatch(new RegExp(`^00-[0-9a-f]{32}-${clientTool.spanId}-01$`));
  });

  test('readResource → RETRIEVER, getPrompt → CHAIN, listTools', async () => {
    await withSpan(
      async () => {
        await client.readResource({ uri: 'docs://readme' });
        await client.getPrompt({ name: 'summarize', arguments: { topic: 'tracing' } });
        await client.listTools();
      },
      { name: 'request' },
    );
    await until(() => memory.traces.length === 3, 'traces');
    const clientTrace = memory.traces.find((t) => t.data.spans.some((s) => s.name === 'request'))!;
    expect(tree(clientTrace)).toMatchObject({
      name: 'request',
      children: [
        { name: 'docs://readme', type: 'RETRIEVER', inputs: { uri: 'docs://readme' }, outputs: { contents: [{ uri: 'docs://readme', text: 'Read me first' }] } },
        { name: 'summarize', type: 'CHAIN', inputs: { topic: 'tracing' } },
        { name: 'tools/list', type: 'UNKNOWN' },
      ],
    });
    const serverNames = memory.traces.filter((t) => t !== clientTrace).map((t) => partRoot(t).name);
    expect(serverNames.sort()).toEqual(['docs://readme', 'summarize']);
  });

  test('a tool that throws: the client gets the error result, both spans say so', async () => {
    const result = await client.callTool({ name: 'lookup', arguments: { query: 'boom' } });
    expect(result.isError).toBe(true);
    await until(() => memory.traces.length === 2, 'traces');
    const spans = memory.traces.flatMap((t) => t.data.spans);
    const clientTool = spans.find((s) => s.name === 'lookup' && s.getAttribute('mcp.side') === 'client')!;
    expect(clientTool.getAttribute('mcp.tool.isError')).toBe(true);
    expect(clientTool.outputs).toEqual(result);
  });

  test('a protocol error (unknown resource): the client span is ERROR with the SDK error class, the same error is thrown', async () => {
    const error = await client.readResource({ uri: 'docs://missing' }).catch((e) => e);
    expect(error.constructor.name).toBe('McpError');
    await until(() => memory.traces.length >= 1, 'traces');
    const span = memory.traces.flatMap((t) => t.data.spans).find((s) => s.name === 'docs://missing' && s.parentId === null && s.getAttribute('mcp.side') !== 'server')!;
    expect(span.status.statusCode).toBe('STATUS_CODE_ERROR');
    expect(span.events.find((e) => e.name === 'exception')?.attributes['exception.type']).toBe('McpError');
  });
});

test('over Streamable HTTP on 127.0.0.1: the trace context crosses the real transport', async () => {
  const httpServer = new McpServer({ name: 'http-docs', version: '1.0.0' });
  httpServer.registerTool('lookup', { description: 'Look up the docs', inputSchema: { query: z.string() } }, async ({ query }) => ({ content: [{ type: 'text', text: `http docs about ${query}` }] }));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
  await httpServer.connect(transport);
  const listener = createServer((req, res) => void transport.handleRequest(req, res));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as AddressInfo;
  const httpClient = new Client({ name: 'http-app', version: '1.0.0' });
  await httpClient.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  try {
    const result = await withSpan(() => httpClient.callTool({ name: 'lookup', arguments: { query: 'http' } }), { name: 'request' });
    expect(result.content).toEqual([{ type: 'text', text: 'http docs about http' }]);
    await until(() => memory.traces.length === 2, 'client and server traces');
    const clientTrace = memory.traces.find((t) => t.data.spans.some((s) => s.name === 'request'))!;
    const serverTrace = memory.traces.find((t) => t !== clientTrace)!;
    const clientTool = clientTrace.data.spans.find((s) => s.name === 'lookup')!;
    expect(serverTrace.info.traceId).toBe(clientTrace.info.traceId);
    expect(partRoot(serverTrace).parentId).toBe(clientTool.spanId);
  } finally {
    await httpClient.close();
    await httpServer.close();
    await new Promise((resolve) => listener.close(resolve));
  }
});

test('over stdio to a server process: the trace context crosses the real transport', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tw-mcp-stdio-'));
  const out = join(dir, 'server-traces.jsonl');
  const serverScript = fileURLToPath(new URL('./__tests__/stdio-server.ts', import.meta.url));
  const stdioClient = new Client({ name: 'stdio-app', version: '1.0.0' });
  await stdioClient.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: ['--conditions=@tracewright/source', '--import', 'tsx', serverScript],
      env: { ...(process.env as Record<string, string>), NODE_OPTIONS: '', TW_TRACE_OUT: out },
      stderr: 'inherit',
    }),
  );
  try {
    const result = await withSpan(() => stdioClient.callTool({ name: 'lookup', arguments: { query: 'pipes' } }), { name: 'stdio-request' });
    expect(result.content).toEqual([{ type: 'text', text: 'stdio docs about pipes' }]);
    await until(() => memory.traces.some((t) => t.data.spans.some((s) => s.name === 'stdio-request')), 'the client trace');
    // Another process: a generous wait (it is written before the tool's result is sent, in practice).
    await until(() => existsSync(out) && readFileSync(out, 'utf8').trim() !== '', 'the server process trace', 30_000);
    const clientTrace = memory.traces.find((t) => t.data.spans.some((s) => s.name === 'stdio-request'))!;
    const clientTool = clientTrace.data.spans.find((s) => s.name === 'lookup')!;
    expect(clientTool.spanType).toBe('TOOL');
    const serverTraces = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { traceId: string; spans: Array<{ spanId: string; parentId: string | null; spanType: string }> });
    expect(serverTraces).toHaveLength(1);
    const [serverTrace] = serverTraces;
    expect(serverTrace!.traceId).toBe(clientTrace.info.traceId);
    const ids = new Set(serverTrace!.spans.map((s) => s.spanId));
    const root = serverTrace!.spans.find((s) => !s.parentId || !ids.has(s.parentId))!;
    expect(root.parentId).toBe(clientTool.spanId);
  } finally {
    await stdioClient.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('autolog({ disable: true }) restores the SDK; calls are untraced', async () => {
  const patched = Client.prototype.callTool;
  await autolog({ disable: true });
  expect(Client.prototype.callTool).not.toBe(patched);
  expect(patchedCount('mcp')).toBe(0);
  await client.callTool({ name: 'lookup', arguments: { query: 'quiet' } });
  // Server handlers are traced where requests are dispatched: the server side is untraced again
  // too; only the span the tool opens itself is recorded (as its own trace).
  await until(() => memory.traces.length === 1, 'the tool\'s own span');
  expect(memory.traces.map((t) => t.data.spans.map((s) => [s.name, s.getAttribute('mcp.side')]))).toEqual([[['search-index', undefined]]]);
  await autolog();
});

test('handlers registered before autolog() (server created and connected first) are traced, and continue the caller\'s trace', async () => {
  await autolog({ disable: true });
  const early = new McpServer({ name: 'early', version: '1.0.0' });
  early.registerTool('early-lookup', { inputSchema: { query: z.string() } }, async ({ query }) => ({ content: [{ type: 'text', text: `early docs about ${query}` }] }));
  const [a, b] = InMemoryTransport.createLinkedPair();
  const earlyClient = new Client({ name: 'app', version: '1.0.0' });
  await Promise.all([early.connect(a), earlyClient.connect(b)]);
  try {
    await autolog();
    const result = await withSpan(() => earlyClient.callTool({ name: 'early-lookup', arguments: { query: 'spans' } }), { name: 'request' });
    expect(result.content).toEqual([{ type: 'text', text: 'early docs about spans' }]);
    await until(() => memory.traces.length === 2, 'client and server traces');
    const clientTrace = memory.traces.find((t) => t.data.spans.some((s) => s.name === 'request'))!;
    const serverTrace = memory.traces.find((t) => t !== clientTrace)!;
    const serverRoot = partRoot(serverTrace);
    expect(serverRoot).toMatchObject({ name: 'early-lookup', spanType: 'TOOL', inputs: { query: 'spans' }, outputs: result });
    expect(serverRoot.getAttribute('mcp.side')).toBe('server');
    expect(serverRoot.parentId).toBe(clientTrace.data.spans.find((s) => s.name === 'early-lookup')!.spanId);
    // one span per call, and the SDK's handler map is left as the SDK made it
    expect(serverTrace.data.spans).toHaveLength(1);
    const handlers = (early.server as unknown as { _requestHandlers: Map<string, Function> })._requestHandlers;
    expect([...handlers.values()].some((h) => String(h).includes('traceServerHandler'))).toBe(false);
  } finally {
    await earlyClient.close();
    await early.close();
  }
});
