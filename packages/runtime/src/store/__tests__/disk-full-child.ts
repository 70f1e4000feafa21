/**
 * Child process for the full-disk test, run inside its own mount namespace on a 1 MiB tmpfs:
 *   disk-full-child.ts <store root on the tmpfs> <filler file on the tmpfs>
 * A traced program writes traces (A), the disk fills up, it keeps tracing (B), then space is
 * freed and it traces more (C). Prints one JSON line with what it saw.
 */
import * as fs from 'node:fs';

import { flushTraces, getTracingDiagnostics, setDestination, setDiagnosticLogger, trace, getLastActiveTraceId } from '../../index.js';
import { LocalStoreDestination } from '../local-destination.js';
import { tracesDir } from '../layout.js';

const [root, filler] = process.argv.slice(2) as [string, string];
const logs: string[] = [];
setDiagnosticLogger((m) => logs.push(m));
const destination = new LocalStoreDestination(root, { maxQueuedTraces: 100 });
setDestination(destination);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const filesNow = () => fs.readdirSync(tracesDir(root)).length;

const step = trace(function diskStep(i: number, text: string) {
  return `${text}:${i}`;
});
const appErrors: string[] = [];
async function run(phase: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    try {
      if (step(i, phase) !== `${phase}:${i}`) appErrors.push(`${phase} ${i}: wrong result`);
    } catch (error) {
      appErrors.push(`${phase} ${i}: ${(error as Error).message}`);
    }
    ids.push(getLastActiveTraceId()!);
    if (i % 100 === 99) await new Promise((r) => setImmediate(r));
  }
  return ids;
}

const a = await run('A', 100);
await flushTraces();
const storedA = fs.readdirSync(tracesDir(root));

// Fill the file system.
const fd = fs.openSync(filler, 'w');
const chunk = Buffer.alloc(4096, 1);
try {
  for (;;) fs.writeSync(fd, chunk);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
}
fs.closeSync(fd);

const t0 = Date.now();
// The first write attempt on the full disk (a flush) marks the outage; only the traces finished
// before that (100) are in flight, so that once space is freed, everything waiting fits in 1 MiB.
await run('B', 100);
await flushTraces(); // fails, and must not wait for the disk
await run('B', 7900);
await flushTraces();
const flushB = Date.now() - t0;
await sleep(1500); // retries with backoff happen meanwhile
const filesDuringOutage = filesNow();
const pausedDuringOutage = destination.writePaused;
const diagDuringOutage = getTracingDiagnostics();

fs.rmSync(filler);
const freedAt = Date.now();
while (destination.writePaused && Date.now() - freedAt < 15_000) await sleep(50);
const resumedAfterMs = Date.now() - freedAt;
const c = await run('C', 100);
await flushTraces();

process.stdout.write(
  JSON.stringify({
    a,
    c,
    storedA,
    flushB,
    filesDuringOutage,
    pausedDuringOutage,
    resumed: !destination.writePaused,
    resumedAfterMs,
    filesAtEnd: fs.readdirSync(tracesDir(root)),
    diagDuringOutage,
    diagnostics: getTracingDiagnostics(),
    logs,
    appErrors,
    description: destination.description,
  }) + '\n',
);

