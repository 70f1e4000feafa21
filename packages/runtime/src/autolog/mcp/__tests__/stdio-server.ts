/**
 * An MCP server over stdio, autologged, for mcp.test.ts: each finished trace is appended as one
 * JSON line (trace id, spans' names and ids) to the file named by TW_TRACE_OUT — stdout is the
 * protocol channel.
 */
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { setDestination } from '../../../index.js';
import { autolog } from '../index.js';

const out = process.env.TW_TRACE_OUT;
if (!out) throw new Error('TW_TRACE_OUT: the file to write traces to is not set');
setDestination({
  description: 'trace lines',
  export: (trace) => {
    const spans = trace.data.spans.map((s) => ({ name: s.name, spanId: s.spanId, parentId: s.parentId, spanType: s.spanType }));
    appendFileSync(out, JSON.stringify({ traceId: trace.info.traceId, spans }) + '\n');
  },
  flush: async () => {},
  shutdown: async () => {},
});
await autolog();
const server = new McpServer({ name: 'stdio-docs', version: '1.0.0' });
server.registerTool('lookup', { description: 'Look up the docs', inputSchema: { query: z.string() } }, async ({ query }) => ({
  content: [{ type: 'text', text: `stdio docs about ${query}` }],
}));
await server.connect(new StdioServerTransport());
