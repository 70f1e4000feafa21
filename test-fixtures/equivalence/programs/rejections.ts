// Rejections the program handles, and one it leaves unhandled (seen by the runner's
// process.on('unhandledRejection') listener). Tracing must neither add nor remove one.
import { errorOf, sleep, type Log } from './_support.js';

class Worker {
  //<traced>
  startJob(job: Promise<void>): Promise<void> {
    return job; // handed back for callers that want it; this caller fires and forgets
  }

  //<traced>
  async failLater(reason: string): Promise<void> {
    await sleep(1);
    throw new Error(reason);
  }

  //<traced>
  async fetchPage(n: number): Promise<number> {
    await sleep(1);
    throw new Error(`page ${n} failed`);
  }

  //<traced>
  rejectNow(reason: string): Promise<never> {
    return Promise.reject(new TypeError(reason));
  }
}

export async function main(log: Log) {
  const worker = new Worker();
  const job = Promise.reject(new Error('handled elsewhere'));
  job.catch((error) => log(['the program handled', errorOf(error)]));
  void worker.startJob(job);

  void worker.failLater('left unhandled by the program');
  // A plain function's fresh promise, dropped: its rejection stays unhandled too.
  void worker.rejectNow('dropped by the program');

  await worker.rejectNow('caught by the caller').catch((error) => log(['caller caught', errorOf(error)]));
  // for await over a plain array (and yield* of one) reacts to the promise inside the engine,
  // making no promise of its own: the loop handles the rejection.
  try {
    for await (const page of [worker.fetchPage(1)]) log(['page', page]);
  } catch (error) {
    log(['the loop caught', errorOf(error)]);
  }
  async function* pages() {
    yield* [worker.fetchPage(2)];
  }
  try {
    for await (const page of pages()) log(['page', page]);
  } catch (error) {
    log(['the generator loop caught', errorOf(error)]);
  }

  // unhandledRejection is emitted after the microtask queue drains: give it time.
  await sleep(50);
  log('done');
}
