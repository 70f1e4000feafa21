// Enumerable keys on Object.prototype (prototype pollution in a dependency) must not make the
// local store refuse its own records (every index record failed its metadata check: traces were
// written and never found) nor add attributes to exported spans. Run in a child process: the
// test library's own objects would pick the keys up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runTs } from './__tests__/fixtures.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

it('a polluted Object.prototype: traces are stored, found by tag and metadata, exported without the inherited keys', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tw-polluted-'));
  dirs.push(cwd);
  const env = Object.fromEntries(Object.keys(process.env).filter((k) => /^(MLFLOW_|OTEL_)/.test(k)).map((k) => [k, undefined]));
  const result = await runTs(new URL('./__tests__/polluted-prototype-child.ts', import.meta.url), [], { cwd, env });
  expect([result.code, result.stderr]).toEqual([0, '']);
  expect(JSON.parse(result.stdout.trim().split('\n').pop()!)).toEqual({ found: 2, byUser: 2, outputs: [2, 4], inherited: [] });
});
