/**
 * Child process: MLFLOW_EXPERIMENT_NAME is set; measures how long importing the package takes,
 * then (after <wait> ms) traces one call and prints the experiment it landed in.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

// A lock file that appears empty right now, as if a process were between creating and writing it.
if (process.env.TW_TEST_FRESH_LOCK) writeFileSync(process.env.TW_TEST_FRESH_LOCK, '');
const t0 = performance.now();
const tw = await import('../../index.js');
const importMs = performance.now() - t0;
tw.setDiagnosticLogger(null);
await new Promise((r) => setTimeout(r, Number(process.argv[2] ?? 0)));
await tw.trace(async function afterImport() {
  return 1;
})();
const { traces } = await tw.searchTraces({ experimentIds: undefined, maxResults: 5 });
process.stdout.write(JSON.stringify({ importMs, experimentIds: traces.map((t) => t.info.traceLocation.mlflowExperiment.experimentId), diagnostics: tw.getTracingDiagnostics() }));
