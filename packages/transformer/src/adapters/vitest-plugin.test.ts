// Vitest itself, with the Vite plugin in its config, runs a test file that uses `// @trace`
// and asserts on the spans that file produced.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO, SOURCE_MODE, runNode, scratchDir, removeScratchDirs } from './__tests__/workspace.js';

afterAll(removeScratchDirs);

const TRACED_TEST = `
import { expect, test } from 'vitest';
import { InMemoryDestination, setDestination } from '@tracewright/runtime';

const memory = new InMemoryDestination();
setDestination(memory);

// @trace
function add(a: number, b: number): number {
  return a + b;
}

// @trace
async function echoTwice(text: string): Promise<string[]> {
  return [await Promise.resolve(text), text];
}

test('spans from // @trace through the Vite plugin', async () => {
  expect(add(2, 3)).toBe(5);
  expect(await echoTwice('x')).toEqual(['x', 'x']);
  const roots = memory.traces.map((t) => t.data.spans.find((s) => s.parentId === null)!);
  expect(roots.map((s) => [s.name, s.inputs, s.outputs, s.status.statusCode.replace('STATUS_CODE_', '')])).toEqual([
    ['add', { a: 2, b: 3 }, 5, 'OK'],
    ['echoTwice', { text: 'x' }, ['x', 'x'], 'OK'],
  ]);
});
`;

const CONFIG = `
import { defineConfig } from 'vitest/config';
import tracewright from '@tracewright/transformer/vite';

export default defineConfig({
  plugins: [tracewright()],
  resolve: { conditions: ['@tracewright/source'] },
  ssr: { resolve: { conditions: ['@tracewright/source'], externalConditions: ['@tracewright/source'] } },
  test: { include: ['traced.test.ts'], pool: 'forks' },
});
`;

it('runs Vitest on a test file that traces with // @trace', async () => {
  const dir = scratchDir('vitest');
  writeFileSync(join(dir, 'traced.test.ts'), TRACED_TEST);
  writeFileSync(join(dir, 'vitest.config.mjs'), CONFIG);
  const run = await runNode(
    [...SOURCE_MODE, join(REPO, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs'), '--reporter', 'json'],
    { cwd: dir, env: { NO_COLOR: '1' } },
  );
  const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
  expect(report.testResults.flatMap((f: any) => f.assertionResults.map((a: any) => [a.title, a.status, a.failureMessages]))).toEqual([
    ['spans from // @trace through the Vite plugin', 'passed', []],
  ]);
  expect(run.code).toBe(0);
});
