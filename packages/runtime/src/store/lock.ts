/**
 * A short-lived cross-process lock around tiny critical sections (creating an experiment,
 * reclaiming dead files). The lock file appears atomically with its content (written to a
 * temporary file, then hard-linked into place: EEXIST means someone holds it), so a crash can
 * never leave an empty lock behind; its content says who holds it and since when.
 *
 * The event loop is never blocked for long: the synchronous form waits at most SYNC_WAIT_MS
 * (critical sections take about a millisecond) and then throws LockBusyError; the asynchronous
 * form waits with timers. A lock is stale, and broken, when it is not a regular file (e.g. a
 * directory), has no readable owner (left by a crash of an older version) and is not brand new,
 * its owner process on this host is gone, or it is older than STALE_MS.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { isProcessAlive } from './layout.js';
import { delay } from '../platform/timers.js';
import { wallNowMs } from '../core/clock.js';

/** No critical section takes this long; a holder this old is presumed hung or dead. */
const STALE_MS = 10_000;
/** An owner-less lock younger than this may be an older version's lock between create and write. */
const UNREADABLE_GRACE_MS = 100;
const SYNC_WAIT_MS = 25;
const ASYNC_WAIT_MS = 5_000;

interface Owner {
  pid: number;
  host: string;
  /** ms since the epoch when the lock was taken */
  time: number;
  nonce: string;
}

export class LockBusyError extends Error {
  constructor(
    readonly path: string,
    readonly holder: string,
  ) {
    super(`lock ${path} is held by ${holder}; try again`);
    this.name = 'LockBusyError';
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function parseOwner(text: string, mtimeMs: number): Owner | undefined {
  if (/^\d+$/.test(text.trim())) return { pid: Number(text), host: hostname(), time: mtimeMs, nonce: '' }; // older versions: bare pid
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    if (Number.isInteger(o.pid) && typeof o.host === 'string' && Number.isFinite(o.time) && typeof o.nonce === 'string') return o as Owner;
  } catch {
    // unreadable: judged below
  }
  return undefined;
}

type Verdict = { state: 'free' } | { state: 'busy'; holder: string } | { state: 'stale'; ino: number; why: string };

function judge(path: string): Verdict {
  let stat: fs.Stats;
  let text: string;
  try {
    stat = fs.lstatSync(path);
    if (!stat.isFile()) return { state: 'stale', ino: stat.ino, why: 'not a regular file' };
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { state: 'free' } : { state: 'stale', ino: -1, why: (error as Error).message };
  }
  const owner = parseOwner(text, stat.mtimeMs);
  const age = wallNowMs() - (owner?.time ?? stat.mtimeMs);
  if (!owner) return age >= UNREADABLE_GRACE_MS ? { state: 'stale', ino: stat.ino, why: 'no owner recorded' } : { state: 'busy', holder: 'a process that is creating it' };
  if (owner.host === hostname() && !isProcessAlive(owner.pid)) return { state: 'stale', ino: stat.ino, why: `owner pid ${owner.pid} is gone` };
  if (age > STALE_MS) return { state: 'stale', ino: stat.ino, why: `held for ${age} ms` };
  return { state: 'busy', holder: `pid ${owner.pid} on ${owner.host} for ${Math.max(0, age)} ms` };
}

/** Removes a stale lock, unless it was replaced by a live one since it was judged. */
function breakStale(path: string, ino: number): void {
  const aside = `${path}.stale-${randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    // e.g. a directory that rename cannot move over: remove it where it is.
    fs.rmSync(path, { recursive: true, force: true });
    return;
  }
  if (ino !== -1 && fs.lstatSync(aside).ino !== ino) {
    // We moved a lock taken after our look: put it back (if nobody took the lock meanwhile).
    try {
      fs.linkSync(aside, path);
    } catch {
      // someone else holds the lock now; the moved holder still finishes its tiny section
    }
  }
  fs.rmSync(aside, { recursive: true, force: true });
}

/** Creates `path` with the owner in it, failing with EEXIST if it exists. */
function createWithContent(tmp: string, path: string, owner: Owner): void {
  try {
    fs.linkSync(tmp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    // A filesystem without hard links: exclusive create, then write (a crash in between
    // leaves an owner-less lock, which is broken as stale).
    const fd = fs.openSync(path, 'wx');
    try {
      fs.writeSync(fd, JSON.stringify(owner));
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Takes the lock if free (breaking a stale one); returns the owner nonce, or the verdict that stopped it. */
function tryAcquire(path: string): { nonce: string } | { busy: string } {
  const owner: Owner = { pid: process.pid, host: hostname(), time: wallNowMs(), nonce: randomBytes(8).toString('hex') };
  const tmp = `${path}.${owner.nonce}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(owner));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        createWithContent(tmp, path, owner);
        return { nonce: owner.nonce };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const verdict = judge(path);
      if (verdict.state === 'busy') return { busy: verdict.holder };
      if (verdict.state === 'stale') {
        try {
          breakStale(path, verdict.ino);
        } catch (error) {
          return { busy: `an unremovable stale lock (${verdict.why}: ${(error as Error).message})` };
        }
      }
    }
    return { busy: 'other processes (contended)' };
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function release(path: string, nonce: string): void {
  try {
    // Only our own lock: if it was broken as stale and retaken, it is not ours to remove.
    if (JSON.parse(fs.readFileSync(path, 'utf8')).nonce === nonce) fs.rmSync(path, { force: true });
  } catch {
    // already gone
  }
}

function run<T>(path: string, nonce: string, fn: () => T): T {
  try {
    return fn();
  } finally {
    release(path, nonce);
  }
}

/**
 * One acquisition, written once for both waiting styles: yields how long to pause before the
 * next try (the caller sleeps synchronously or with a timer), returns `fn`'s result, throws
 * LockBusyError once `waitMs` has passed.
 */
function* acquiring<T>(path: string, fn: () => T, waitMs: number, maxPauseMs: number): Generator<number, T, void> {
  fs.mkdirSync(dirname(path), { recursive: true });
  const deadline = wallNowMs() + waitMs;
  for (let pause = 1; ; pause = Math.min(pause * 2, maxPauseMs)) {
    const got = tryAcquire(path);
    if ('nonce' in got) return run(path, got.nonce, fn);
    const left = deadline - wallNowMs();
    if (left <= 0) throw new LockBusyError(path, got.busy);
    yield Math.min(pause, Math.max(1, left));
  }
}

/**
 * Runs `fn` under the lock, waiting synchronously at most `waitMs` (default 25 ms) for a live
 * holder; throws LockBusyError beyond that. Never blocks longer.
 */
export function withFileLock<T>(path: string, fn: () => T, waitMs = SYNC_WAIT_MS): T {
  const steps = acquiring(path, fn, waitMs, 5);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    sleepSync(step.value);
  }
}

/** Same, waiting with timers (the event loop keeps running) for up to `timeoutMs` (default 5 s). */
export async function withFileLockAsync<T>(path: string, fn: () => T, timeoutMs = ASYNC_WAIT_MS): Promise<T> {
  const steps = acquiring(path, fn, timeoutMs, 50);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    await delay(step.value);
  }
}
