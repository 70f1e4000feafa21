// Node 20 does not apply `--import tsx` hooks to a worker's entry module: register them
// here, then load the TypeScript worker named in workerData.entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
