/**
 * Child process: a traced program whose main loop only ever awaits promises that never do
 * I/O, so the event loop never reaches the macrotask phase (where timers, setImmediate and
 * asynchronous I/O callbacks run). It runs until killed, appending "<finished traces> <ms since
 * epoch>" to a progress file with synchronous writes after every 50 traces.
 *   microtask-loop-child.ts <progress file>          (store: MLFLOW_TRACKING_URI)
 */
import * as fs from 'node:fs';
import { setDiagnosticLogger, trace } from '../../index.js';

setDiagnosticLogger(null);
const progress = fs.openSync(process.argv[2]!, 'a');
const step = trace(async function microtaskStep(i: number) {
  await Promise.resolve();
  return { i, doubled: i * 2 };
});

fs.writeSync(progress, `0 ${Date.now()}\n`);
for (let i = 1; ; i++) {
  const out = await step(i);
  if (out.doubled !== i * 2) throw new Error('traced function changed its result');
  if (i % 50 === 0) fs.writeSync(progress, `${i} ${Date.now()}\n`);
}
