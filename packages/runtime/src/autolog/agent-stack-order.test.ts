/**
 * The MCP and OpenAI Agents integrations' `autolog()` called the way the seed shows it (no
 * `await`), with the SDK imported before or after, as an ES module or through require().
 * Each order runs as its own program (module loading is per process).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from './testing/fake-openai-server.js';

const child = fileURLToPath(new URL('./__tests__/agent-stack-child.mjs', import.meta.url));
let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(() => server.close());

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // NODE_ENV=test would make the Agents SDK switch its tracing off.
    const env = { ...process.env, NODE_ENV: 'production' };
    const proc = spawn(process.execPath, ['--conditions=@tracewright/source', '--import', 'tsx', child, ...args], { stdio: 'pipe', env });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test.each(['require-after'])('MCP, SDK loaded %s: client and server spans, one trace id', async (order) => {
  const r = await run('mcp', order);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const [answer, spans] = r.stdout.trim().split('\n');
  expect(answer).toBe('pong');
  // the server's part of the trace may be exported first
  expect(JSON.parse(spans!).sort()).toEqual([['TOOL:echo'], ['UNKNOWN:ask', 'TOOL:echo']]);
});

test.each(['dynamic-after'])('OpenAI Agents, SDK loaded %s: the run is recorded under the caller', async (order) => {
  const r = await run('agents', order, server.baseURL);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const [answer, spans] = r.stdout.trim().split('\n');
  expect(answer).toBe('Echo: hello');
  expect(JSON.parse(spans!)[0]).toEqual(expect.arrayContaining(['UNKNOWN:ask', 'AGENT:A', 'LLM:Response']));
});
