/** Child process: takes the lock at <path>, prints "held", keeps it <ms> milliseconds, releases it. */
import { withFileLock } from '../lock.js';

const [path, ms] = process.argv.slice(2) as [string, string];
withFileLock(path, () => {
  process.stdout.write('held\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(ms));
});
