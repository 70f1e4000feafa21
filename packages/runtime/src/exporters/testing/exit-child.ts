/**
 * Test-only child process: traces a few calls, then simply ends — no flushTraces(). The
 * destination's exit flush must deliver everything, or give up within the exit budget.
 *   exit-child.ts <mlflow|otlp-protobuf|otlp-json> <url> [count=3] [exitCode=0]
 * Prints "app done" when the program's own work is over, and on exit one line
 * `diagnostics {"dropped":…,"errors":…}`.
 */
import { getTracingDiagnostics, setDestination, trace } from '../../index.js';
import { createMlflowDestination } from '../mlflow/index.js';
import { createOtlpDestination } from '../otlp/index.js';

const [kind, url, count, exitCode] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4] ?? 3), Number(process.argv[5] ?? 0)];
if (kind === 'mlflow') {
  setDestination(createMlflowDestination({ trackingUri: url, experimentName: 'exit-test' }));
} else if (kind === 'otlp-protobuf' || kind === 'otlp-json') {
  const protocol = kind === 'otlp-json' ? 'http/json' : 'http/protobuf';
  setDestination(createOtlpDestination({ endpoint: `${url}/v1/traces`, protocol, headers: { 'x-mlflow-experiment-id': '0' } }));
} else {
  throw new Error(`exit-child: unknown destination ${JSON.stringify(kind)}`);
}
const work = trace(async (i: number) => ({ i, doubled: i * 2 }), { name: 'work' });
for (let i = 0; i < count; i++) await work(i);
process.exitCode = exitCode;
console.log('app done');
process.on('exit', () => {
  const { dropped, errors } = getTracingDiagnostics();
  console.log(`diagnostics ${JSON.stringify({ dropped, errors })}`);
});
