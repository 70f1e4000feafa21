/**
 * Runs the viewer's searches off its request thread: a small pool of worker threads (1–2),
 * each reading the local store itself. A slow search then occupies a worker, never the thread
 * that answers the other requests; a search still running well past its time budget (the
 * cooperative check sits between traces, and one huge value could outlast it) has its worker
 * terminated and replaced.
 */
import { Worker } from 'node:worker_threads';
import type { SearchRequest } from './search-routes.js';
import type { WorkerError, WorkerJob, WorkerReply } from './search-worker.js';

export interface SearchPoolOptions {
  storeDir: string;
  /** Worker threads at most (started on demand). Default 2. */
  size?: number;
  /** A search still running after this long has its worker terminated (answered as timed out). */
  killAfterMs: number;
}

interface Job {
  request: SearchRequest;
  resolve(body: string): void;
  reject(error: Error): void;
}

interface PoolWorker {
  worker: Worker;
  /** Started: its module is loaded and it takes jobs. */
  ready: boolean;
  job?: Job & { id: number; timer: NodeJS.Timeout };
}

/** An error from a worker, rebuilt with the fields the server classifies by. */
export function workerError(e: WorkerError): Error {
  return Object.assign(new Error(e.message), e);
}

/**
 * The worker entry. Built: the compiled search-worker.js beside this file. From sources (tsx,
 * vitest): TypeScript is loaded through tsx, with the workspace's source condition.
 */
function startWorker(storeDir: string): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./search-worker.js', self), { workerData: { storeDir } });
  const tsx = import.meta.resolve('tsx/esm/api');
  const body = new URL('./search-worker.ts', self).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(body)}))`;
  return new Worker(code, { eval: true, workerData: { storeDir }, execArgv: ['--conditions=@tracewright/source'] });
}

export class SearchPool {
  private readonly size: number;
  private readonly workers = new Set<PoolWorker>();
  private readonly idle: PoolWorker[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: SearchPoolOptions) {
    this.size = Math.max(1, options.size ?? 2);
  }

  /** The JSON body for `request`, computed in a worker. */
  run(request: SearchRequest): Promise<string> {
    if (this.closed) return Promise.reject(new Error('the viewer is shutting down'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the viewer is shutting down'));
    await Promise.all([...this.workers].map((w) => this.retire(w, new Error('the viewer is shutting down'))));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const w = this.idle.pop();
      if (!w) {
        // A worker still starting takes a job when it is ready; start more only for the rest.
        let starting = [...this.workers].filter((x) => !x.ready).length;
        while (this.workers.size < this.size && starting < this.queue.length) {
          this.spawn();
          starting++;
        }
        return;
      }
      const job = this.queue.shift()!;
      const id = this.nextId++;
      const timer = setTimeout(() => {
        const seconds = (this.options.killAfterMs / 1000).toFixed(1);
        const stopped = Object.assign(new Error(`the search did not finish within ${seconds} s and was stopped; narrow the filter`), {
          name: 'SearchTimeoutError',
          errorCode: 'DEADLINE_EXCEEDED',
        });
        void this.retire(w, stopped).then(() => this.dispatch());
      }, this.options.killAfterMs);
      w.job = { ...job, id, timer };
      w.worker.postMessage({ id, request: job.request } satisfies WorkerJob);
    }
  }

  private spawn(): PoolWorker {
    const w: PoolWorker = { worker: startWorker(this.options.storeDir), ready: false };
    w.worker.unref(); // an idle pool never keeps the process alive
    w.worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) {
        w.ready = true;
        this.idle.push(w);
        this.dispatch();
        return;
      }
      const job = w.job;
      if (!job || job.id !== reply.id) return;
      clearTimeout(job.timer);
      w.job = undefined;
      this.idle.push(w);
      if ('body' in reply) job.resolve(reply.body);
      else job.reject(workerError(reply.error));
      this.dispatch();
    });
    const failed = (error: Error) => {
      if (!this.workers.has(w)) return;
      if (!w.ready) {
        // It never started: starting another would fail the same way. The waiting searches fail instead.
        const reason = new Error(`search worker could not start: ${error.message}`);
        for (const job of this.queue.splice(0)) job.reject(reason);
        void this.retire(w, reason);
        return;
      }
      void this.retire(w, new Error(`search worker failed: ${error.message}`)).then(() => this.dispatch());
    };
    w.worker.on('error', failed);
    w.worker.on('exit', (code) => failed(new Error(`exited with code ${code}`)));
    this.workers.add(w);
    return w;
  }

  /** Removes `w` from the pool, failing its job with `reason`, and terminates it. */
  private async retire(w: PoolWorker, reason: Error): Promise<void> {
    if (!this.workers.delete(w)) return;
    const idleAt = this.idle.indexOf(w);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    if (w.job) {
      clearTimeout(w.job.timer);
      w.job.reject(reason);
      w.job = undefined;
    }
    await w.worker.terminate();
  }
}
