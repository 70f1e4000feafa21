/**
 * A short-lived cross-process lock: a file created with O_EXCL holding the owner's pid. Held
 * only around tiny critical sections (creating an experiment, reclaiming dead files), so
 * waiting is a brief synchronous spin; a lock whose owner died is broken.
 */
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { isProcessAlive } from './layout.js';

const STALE_MS = 10_000;
const WAIT_MS = 5_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isStale(path: string): boolean {
  try {
    const pid = Number(fs.readFileSync(path, 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid)) return true;
    return Date.now() - fs.statSync(path).mtimeMs > STALE_MS;
  } catch {
    return false; // vanished or unreadable (being written): just retry
  }
}

export function withFileLock<T>(path: string, fn: () => T): T {
  fs.mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const fd = fs.openSync(path, 'wx');
      try {
        fs.writeSync(fd, String(process.pid));
      } finally {
        fs.closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(path)) {
        fs.rmSync(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${path}`);
      sleepSync(5);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(path, { force: true });
  }
}
