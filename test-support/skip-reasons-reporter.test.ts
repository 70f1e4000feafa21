/** The reporter in a real vitest run, on a test file that skips with a reason. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
mkdirSync(join(repo, '.tmp'), { recursive: true });
// inside the repository, so the sample resolves vitest from its node_modules
const dir = mkdtempSync(join(repo, '.tmp', 'skip-reasons-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('prints each skip reason after the summary, with the file and how many tests', () => {
  writeFileSync(
    join(dir, 'vitest.config.mjs'),
    `export default { test: { include: ['*.sample.ts'], reporters: ['default', ${JSON.stringify(join(here, 'skip-reasons-reporter.ts'))}] } };\n`,
  );
  writeFileSync(
    join(dir, 'skips.sample.ts'),
    `import { beforeEach, describe, expect, it } from 'vitest';
it('runs', () => expect(1).toBe(1));
it.skip('is skipped without a reason', () => {});
describe('needs a widget', () => {
  beforeEach((ctx) => ctx.skip('no widget on this machine'));
  it('one', () => {});
  it('two', () => {});
});
`,
  );
  const run = spawnSync(process.execPath, [join(repo, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: 'true' },
  });
  expect(run.status, run.stderr).toBe(0);
  const lines = run.stdout.split('\n');
  const summary = lines.findIndex((l) => /^\s+Tests\s+1 passed \| 3 skipped \(4\)/.test(l));
  const reason = lines.indexOf(' SKIPPED 2 tests in skips.sample.ts: no widget on this machine');
  expect(summary, run.stdout).toBeGreaterThan(0);
  expect(reason, run.stdout).toBeGreaterThan(summary);
  expect(run.stdout).not.toContain('is skipped without a reason:'); // a plain it.skip has no reason to print
});
