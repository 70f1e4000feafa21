/**
 * Child process: a synchronous loop of <count> traced calls, then a normal exit (the event loop
 * drains; no flush call).   many-calls-child.ts <count>    (store: MLFLOW_TRACKING_URI)
 */
import { setDiagnosticLogger, trace, getTracingDiagnostics } from '../../index.js';

setDiagnosticLogger(null);
const count = Number(process.argv[2]);
const step = trace(function syncStep(i: number) {
  return i + 1;
});
let sum = 0;
for (let i = 0; i < count; i++) sum += step(i);
process.on('exit', () => process.stdout.write(JSON.stringify({ sum, diagnostics: getTracingDiagnostics() })));
