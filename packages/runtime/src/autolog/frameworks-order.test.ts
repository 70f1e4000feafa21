/**
 * `autolog()` of the framework integrations as the seed calls it: a plain call, no `await`,
 * with the framework loaded after it by `import()` or `require` (both are dual ESM/CJS
 * packages; one order each, both go through the same createAutolog path). Each case is its own
 * program (module loading is per process); they run concurrently. An empty stderr also proves autolog's load of the other module format left
 * LlamaIndex's duplicate-copy warning silent.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from './testing/fake-openai-server.js';

const child = fileURLToPath(new URL('./common/__tests__/framework-autolog-child.mjs', import.meta.url));
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(() => server.close());

function run(framework: string, order: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--no-warnings', '--conditions=@tracewright/source', '--import', 'tsx', child, framework, order, server.baseURL], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const CASES: Array<[string, string, string[], string]> = [
  ['ax', 'require-after', ['UNKNOWN:ask', 'CHAIN:AxGen.forward', 'LLM:OpenAI.chat'], 'Echo: Question: hello'],
  ['llamaindex', 'dynamic-after', ['UNKNOWN:ask', 'CHAIN:SimpleChatEngine.chat', 'LLM:OpenAI.chat'], 'Echo: hello'],
];

test('plain autolog() without await: each framework call is recorded under the caller', async () => {
  const results = await Promise.all(CASES.map(([framework, order]) => run(framework, order)));
  results.forEach((r, i) => {
    const [framework, order, spans, answer] = CASES[i]!;
    expect({ framework, order, code: r.code, stderr: r.stderr }).toEqual({ framework, order, code: 0, stderr: '' });
    const [out, recorded] = r.stdout.trim().split('\n');
    expect(out).toBe(answer);
    expect(JSON.parse(recorded!)).toEqual([spans]);
  });
});
