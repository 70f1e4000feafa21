/**
 * The durability point with real processes: a finished trace is on disk within 200 ms of its
 * root ending (or once 1,000 are waiting) even when the program never lets the event loop reach
 * the macrotask phase, and a program finishing more traces than any queue bound loses none.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTs } from './__tests__/fixtures.js';
import { LocalTraceStore } from './local-store.js';
import { tempDir } from '../../../../test-support/temp-dir.js';

const freshDir = () => tempDir('tw-durpoint-');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readProgress(file: string): Array<{ n: number; at: number }> {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => /^\d+ \d+$/.test(l))
    .map((l) => {
      const [n, at] = l.split(' ').map(Number);
      return { n: n!, at: at! };
    });
}

describe('durability point (real child processes)', () => {
  it('a microtask-only await loop killed with SIGKILL has every trace finished > 200 ms before the kill on disk', async () => {
    const dir = freshDir();
    const root = join(dir, 'mlruns');
    const progressFile = join(dir, 'progress');
    const tsx = import.meta.resolve('tsx');
    const child = spawn(
      process.execPath,
      ['--conditions=@tracewright/source', '--import', tsx, fileURLToPath(new URL('./__tests__/microtask-loop-child.ts', import.meta.url)), progressFile],
      { env: { ...process.env, MLFLOW_TRACKING_URI: root }, stdio: 'ignore' },
    );
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    // Wait until the loop runs, then let it run ~1 s (randomised a little) and kill it.
    const started = Date.now();
    while (!fs.existsSync(progressFile) || readProgress(progressFile).length < 2) {
      expect(Date.now() - started).toBeLessThan(30_000);
      await sleep(20);
    }
    await sleep(900 + Math.floor(Math.random() * 300));
    child.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await exited).toBe('SIGKILL');

    const progress = readProgress(progressFile);
    const finishedBeforeDeadline = Math.max(0, ...progress.filter((p) => p.at <= killedAt - 200).map((p) => p.n));
    const finishedTotal = progress.at(-1)!.n;
    const store = LocalTraceStore.open(root);
    const stored = store.count();
    store.close();
    console.log(`microtask loop: ${finishedTotal}+ traces finished, ${finishedBeforeDeadline} more than 200 ms before SIGKILL, ${stored} on disk`);
    expect(finishedBeforeDeadline).toBeGreaterThan(0);
    expect(stored).toBeGreaterThanOrEqual(finishedBeforeDeadline);
    // A few traces at most may finish between the last progress line and the kill.
    expect(stored).toBeLessThanOrEqual(finishedTotal + 50);
  }, 60_000);

  it('130,000 traced calls then a normal exit store 130,000 traces (no queue bound drops them)', async () => {
    const root = join(freshDir(), 'mlruns');
    const result = await runTs(new URL('./__tests__/many-calls-child.ts', import.meta.url), ['130000'], { env: { MLFLOW_TRACKING_URI: root } });
    expect([result.code, result.stderr]).toEqual([0, '']);
    const out = JSON.parse(result.stdout) as { sum: number; diagnostics: { dropped: Record<string, number>; totalErrors: number } };
    expect(out.sum).toBe((130_000 * 130_001) / 2); // the program's own result is untouched
    expect(out.diagnostics.dropped).toEqual({});
    expect(out.diagnostics.totalErrors).toBe(0);
    const store = LocalTraceStore.open(root);
    expect(store.count()).toBe(130_000);
    expect(store.problems()).toEqual([]);
    store.close();
  }, 180_000);
});
