/**
 * Creates a shared append-only store file (tombstones, assessments) with its format header if
 * it does not exist yet. Appenders race, so the header must be there before any record:
 * written to a temporary file, then linked into place (EEXIST: someone else created it,
 * header included).
 */
import * as fs from 'node:fs';
import { headerText, type StoreFileKind } from './format.js';
import { encodeFrame } from './frame.js';
import { wallNowMs } from '../core/clock.js';

export function createWithHeader(path: string, kind: StoreFileKind): void {
  if (fs.existsSync(path)) return;
  const tmp = `${path}.${process.pid}.${wallNowMs()}.tmp`;
  fs.writeFileSync(tmp, encodeFrame(Buffer.from(headerText(kind))));
  try {
    fs.linkSync(tmp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
    // no hard links on this filesystem: a headerless file is read as version 1
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Appends `frames` with one O_APPEND write per call: appends from several processes never interleave. */
export function appendFrames(path: string, frames: Buffer[]): void {
  const fd = fs.openSync(path, 'a');
  try {
    const all = Buffer.concat(frames);
    for (let done = 0; done < all.length; ) done += fs.writeSync(fd, all, done, all.length - done);
  } finally {
    fs.closeSync(fd);
  }
}
