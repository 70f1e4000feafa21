/**
 * `autolog()` of each provider integration as the seed calls it: a plain call, no `await`, with
 * the SDK loaded after it by `import()` or `require` (a dual ESM/CJS package, an ESM one, a
 * CJS-only one). Each case is its own program (module loading is per process); they run
 * concurrently. Mistral and Ollama go through the same createAutolog path (kept out for CI time).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { FakeServer } from './testing/http.js';
import { startFakeGoogleServer } from './testing/fake-google-server.js';
import { startFakeBedrockServer } from './testing/fake-bedrock-server.js';
import { startFakeCohereServer } from './testing/fake-cohere-server.js';

const child = fileURLToPath(new URL('./common/__tests__/provider-autolog-child.mjs', import.meta.url));
const servers: Record<string, FakeServer> = {};

beforeAll(async () => {
  [servers['google-genai'], servers.bedrock, servers.cohere] = await Promise.all([startFakeGoogleServer(), startFakeBedrockServer(), startFakeCohereServer()]);
});
afterAll(() => Promise.all(Object.values(servers).map((s) => s.close())));

function run(provider: string, order: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--no-warnings', '--conditions=@tracewright/source', '--import', 'tsx', child, provider, order, servers[provider]!.url], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const CASES: Array<[string, string, string]> = [
  ['google-genai', 'dynamic-after', 'LLM:generateContent'],
  ['google-genai', 'require-after', 'LLM:generateContent'],
  ['bedrock', 'dynamic-after', 'LLM:Converse'],
  ['cohere', 'require-after', 'LLM:chat'],
];

test('plain autolog() without await: each provider call is recorded under the caller', async () => {
  const results = await Promise.all(CASES.map(([provider, order]) => run(provider, order)));
  results.forEach((r, i) => {
    const [provider, order, span] = CASES[i]!;
    expect({ provider, order, code: r.code, stderr: r.stderr }).toEqual({ provider, order, code: 0, stderr: '' });
    const [answer, spans] = r.stdout.trim().split('\n');
    expect(answer).toBe('Echo: hello');
    expect(JSON.parse(spans!)).toEqual([['UNKNOWN:ask', span]]);
  });
});
