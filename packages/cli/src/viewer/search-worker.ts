/**
 * Worker thread body of the viewer's search pool: its own LocalTraceStore over the viewer's
 * store directory (live, like every reader), answering SearchRequests with JSON bodies.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LocalTraceStore } from '@tracewright/runtime';
import { runSearchRoute, type SearchRequest } from './search-routes.js';

export interface WorkerJob {
  id: number;
  request: SearchRequest;
}

/** The fields of an error the server needs to answer it (the class itself does not cross threads). */
export interface WorkerError {
  name: string;
  message: string;
  errorCode?: string;
  status?: number;
}

export type WorkerReply = { ready: true } | { id: number; body: string } | { id: number; error: WorkerError };

const port = parentPort!;
const store = new LocalTraceStore((workerData as { storeDir: string }).storeDir);

port.on('message', (job: WorkerJob) => {
  runSearchRoute(store, job.request).then(
    (body) => port.postMessage({ id: job.id, body } satisfies WorkerReply),
    (error: unknown) => {
      const e = error as Partial<WorkerError> | undefined;
      const reply: WorkerError = { name: String(e?.name ?? 'Error'), message: String(e?.message ?? error) };
      if (typeof e?.errorCode === 'string') reply.errorCode = e.errorCode;
      if (typeof e?.status === 'number') reply.status = e.status;
      port.postMessage({ id: job.id, error: reply } satisfies WorkerReply);
    },
  );
});
// Loaded: from now on a job's time is the search's own, not the thread's start-up.
port.postMessage({ ready: true } satisfies WorkerReply);
