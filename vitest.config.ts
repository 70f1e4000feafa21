import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources of the workspace packages (the
// "@tracewright/source" export condition), so no build is needed between edits.
// Child processes spawned by tests get the same view through `node --conditions=...`.
export default defineConfig({
  resolve: { conditions: ['@tracewright/source'] },
  ssr: { resolve: { conditions: ['@tracewright/source'], externalConditions: ['@tracewright/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test-fixtures/**/*.test.ts', 'examples/**/*.test.ts', 'test-support/**/*.test.ts', 'platforms/*/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line; the skip-reasons
    // reporter prints why tests were skipped (e.g. no browser) after the summary.
    reporters: ['default', './test-support/skip-reasons-reporter.ts', ['json', { outputFile: 'test-artifacts/vitest-report.json' }]],
  },
});
