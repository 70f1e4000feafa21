/**
 * `autolog()` as the seed calls it: a plain call, no `await`, before or after the SDK is loaded.
 * Each order runs as its own program (module loading is per process).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../testing/fake-openai-server.js';

const child = fileURLToPath(new URL('./__tests__/plain-autolog-child.mjs', import.meta.url));
const staticChild = fileURLToPath(new URL('./__tests__/static-import-child.mjs', import.meta.url));
let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(() => server.close());

function run(order: string, program = child): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--conditions=@tracewright/source', '--import', 'tsx', program, order, server.baseURL], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('autolog() without await', () => {
  test.each(['dynamic-after', 'require-after'])('SDK loaded %s: the LLM call is recorded under the caller', async (order) => {
    const r = await run(order);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [answer, spans] = r.stdout.trim().split('\n');
    expect(answer).toBe('Echo: hello');
    expect(JSON.parse(spans!)).toEqual([['UNKNOWN:ask', 'LLM:Completions']]);
  });
});

describe('the SDK imported statically before autolog()', () => {
  test('plain autolog(): one warning naming the fixes; the call made straight away is not traced, a later one is', async () => {
    const r = await run('plain', staticChild);
    expect(r.code, r.stderr).toBe(0);
    const warnings = r.stderr.trim().split('\n');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^\[tracewright\] autolog\(\) from @tracewright\/runtime\/openai is not awaited while openai is already imported/);
    expect(warnings[0]).toContain('await autolog()');
    expect(warnings[0]).toContain('dynamic import()');
    expect(warnings[0]).toContain('traced<Client>(client)');
    const [answers, spans] = r.stdout.trim().split('\n');
    expect(answers).toBe('Echo: straight away | Echo: a turn later');
    expect(JSON.parse(spans!)).toEqual([['UNKNOWN:ask'], ['UNKNOWN:ask', 'LLM:Completions']]);
  });

  test('await autolog(): no warning, every call traced', async () => {
    const r = await run('await', staticChild);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n')[1]!)).toEqual([['UNKNOWN:ask', 'LLM:Completions'], ['UNKNOWN:ask', 'LLM:Completions']]);
  });
});
