/**
 * Test-only child process: traces a few calls to the MLflow server at argv[2] and then simply
 * ends — no flushTraces(). The destination's beforeExit hook must deliver everything.
 */
import { getTracingDiagnostics, setDestination, trace } from '../../index.js';
import { createMlflowDestination } from '../mlflow/index.js';

const [trackingUri, count] = [process.argv[2]!, Number(process.argv[3] ?? 3)];
setDestination(createMlflowDestination({ trackingUri, experimentName: 'exit-test' }));
const work = trace(async (i: number) => ({ i, doubled: i * 2 }), { name: 'work' });
for (let i = 0; i < count; i++) await work(i);
console.log('app done');
process.on('exit', () => console.log(`diagnostics ${JSON.stringify(getTracingDiagnostics().dropped)}`));
