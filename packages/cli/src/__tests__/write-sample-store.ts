/**
 * A traced program run as its own process, writing into a real local store:
 *   node --conditions=@tracewright/source --import tsx write-sample-store.ts <dir> [sessions]
 */
import { flushTraces, setTrackingUri } from '@tracewright/runtime';
import { runSampleProgram } from './sample-traces.js';

const [dir, sessions] = process.argv.slice(2);
if (!dir) {
  console.error('usage: write-sample-store.ts <store-dir> [sessions]');
  process.exit(2);
}
setTrackingUri(dir);
await runSampleProgram({ sessions: sessions === undefined ? 2 : Number(sessions) });
await flushTraces();
