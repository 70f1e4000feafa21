/**
 * Where things live inside a store directory (see README "Local store layout"):
 *
 *   <root>/experiments.json           experiments, replaced atomically (temp + rename)
 *   <root>/traces/<writer>.seg        trace bodies: framed MLflow Trace JSON {"info","data"}
 *   <root>/traces/<writer>.idx        index: one framed compact TraceInfo per trace (+ body offset)
 *   <root>/traces/deleted.log         tombstones: framed lists of deleted trace ids
 *   <root>/.locks/                    short-lived lock files (experiments, reclaim)
 *
 * `<writer>` = `<time36>-<pid>-<random>`: each writing process owns its own pair of files, so
 * concurrent writers never interleave bytes and need no lock.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { wallNowMs } from '../core/clock.js';

export const TRACES_DIR = 'traces';
export const EXPERIMENTS_FILE = 'experiments.json';
export const TOMBSTONE_FILE = 'deleted.log';
export const LOCKS_DIR = '.locks';
export const INDEX_EXT = '.idx';
export const SEGMENT_EXT = '.seg';

export function newWriterId(): string {
  return `${wallNowMs().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export function writerPidOf(fileName: string): number | undefined {
  const m = /^[0-9a-z]+-(\d+)-[0-9a-f]+\./.exec(fileName);
  return m ? Number(m[1]) : undefined;
}

export function isProcessAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function tracesDir(root: string): string {
  return join(root, TRACES_DIR);
}
