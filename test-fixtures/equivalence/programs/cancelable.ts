// A job runner returning p-cancelable promises: the caller cancels through the returned object.
import PCancelable, { CancelError } from 'p-cancelable';
import { attempt, errorOf, type Log } from './_support.js';

class Jobs {
  cancelled: string[] = [];

  //<traced>
  slowJob(name: string, ms: number): PCancelable<string> {
    return new PCancelable<string>((resolve, _reject, onCancel) => {
      const timer = setTimeout(() => resolve(`${name} finished`), ms);
      onCancel(() => {
        clearTimeout(timer);
        this.cancelled.push(name);
      });
    });
  }
}

export async function main(log: Log) {
  const jobs = new Jobs();
  const job = jobs.slowJob('report', 1_500);
  log(['instanceof PCancelable', job instanceof PCancelable]);
  attempt(log, 'typeof cancel', () => typeof job.cancel);
  setTimeout(() => {
    attempt(log, 'cancel()', () => job.cancel('user pressed stop'));
  }, 10);
  try {
    log(['awaited', await job]);
  } catch (error) {
    log(['rejected', error instanceof CancelError, errorOf(error), 'isCanceled', job.isCanceled]);
  }
  log(['cancel handlers run', jobs.cancelled]);
  log(['quick job', await jobs.slowJob('quick', 5)]);
}
