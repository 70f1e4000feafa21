/**
 * The experiments lock never blocks the event loop and recovers from stale locks: a directory
 * in its place, an owner-less lock left by a crash, a dead owner, an ancient owner; a live
 * holder makes setExperiment wait asynchronously (the loop keeps running) instead of spinning.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { setExperiment, setTrackingUri } from '../config/index.js';
import { runtimeState } from '../core/state.js';
import { runTs } from './__tests__/fixtures.js';
import { EXPERIMENTS_FILE, LOCKS_DIR } from './layout.js';
import { LocalTraceStore } from './local-store.js';
import { LockBusyError, withFileLock } from './lock.js';
import { tempDir } from '../../../../test-support/temp-dir.js';

const tempRoot = () => join(tempDir('tw-lock-'), 'mlruns');
const lockOf = (root: string) => join(root, LOCKS_DIR, 'experiments.lock');
const previousUri = process.env.MLFLOW_TRACKING_URI;
afterAll(() => setTrackingUri(previousUri ?? ''));

/** A pid that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => p.on('exit', r));
  return p.pid!;
}

/** setExperiment in a store whose lock is `prepare`d: how long the call blocked, and when it resolved. */
async function timedSetExperiment(prepare: (lock: string) => void | Promise<void>, name = 'exp') {
  const root = tempRoot();
  fs.mkdirSync(join(root, LOCKS_DIR), { recursive: true });
  await prepare(lockOf(root));
  setTrackingUri(root);
  const t0 = performance.now();
  const pending = setExperiment(name);
  const blockedMs = performance.now() - t0;
  const syncId = runtimeState().experimentId;
  const id = await pending;
  const resolvedMs = performance.now() - t0;
  const stored = LocalTraceStore.open(root).getExperimentByName(name)?.experimentId;
  return { blockedMs, resolvedMs, id, syncId, stored, root };
}

describe('experiments lock: stale locks are recovered without blocking', () => {
  const cases: Array<[string, (lock: string) => void | Promise<void>]> = [
    ['a directory in place of the lock', (lock) => fs.mkdirSync(join(lock, 'nested'), { recursive: true })],
    ['an empty lock file left by a crash (an hour old)', (lock) => {
      fs.writeFileSync(lock, '');
      const old = new Date(Date.now() - 3_600_000);
      fs.utimesSync(lock, old, old);
    }],
    ['a garbage lock file', (lock) => {
      fs.writeFileSync(lock, '\u0000\u0000not json');
      const old = new Date(Date.now() - 5_000);
      fs.utimesSync(lock, old, old);
    }],
    ['a lock of a dead process', async (lock) => fs.writeFileSync(lock, JSON.stringify({ pid: await deadPid(), host: hostname(), time: Date.now(), nonce: 'x' }))],
    ['a bare-pid lock of a dead process (older versions)', async (lock) => fs.writeFileSync(lock, String(await deadPid()))],
    ['a lock held far longer than any critical section (live pid, 60 s old)', (lock) =>
      fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), time: Date.now() - 60_000, nonce: 'x' }))],
  ];
  for (const [what, prepare] of cases) {
    it(`${what}: broken at once, setExperiment is synchronous again`, async () => {
      const r = await timedSetExperiment(prepare);
      expect(r.blockedMs).toBeLessThan(100);
      expect(r.id).toBe('1');
      expect(r.syncId).toBe('1'); // active before setExperiment returned
      expect(r.stored).toBe('1');
      expect(fs.existsSync(lockOf(r.root))).toBe(false);
    });
  }

  it('an empty lock created this instant (maybe an older version mid-write): no blocking, resolved once it is stale', async () => {
    const r = await timedSetExperiment((lock) => fs.writeFileSync(lock, ''));
    expect(r.blockedMs).toBeLessThan(100);
    expect(r.resolvedMs).toBeLessThan(3_000);
    expect([r.id, r.stored]).toEqual(['1', '1']);
  });
});

describe('experiments lock: a live holder', () => {
  it('sync callers get LockBusyError within milliseconds; setExperiment waits asynchronously while the loop runs, then agrees on the id', async () => {
    const root = tempRoot();
    const lock = lockOf(root);
    fs.mkdirSync(join(root, LOCKS_DIR), { recursive: true });
    const tsx = import.meta.resolve('tsx');
    const holder = spawn(process.execPath, ['--conditions=@tracewright/source', '--import', tsx, fileURLToPath(new URL('./__tests__/lock-holder-child.ts', import.meta.url)), lock, '1500'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const holderExit = new Promise((r) => holder.on('exit', r));
    await new Promise<void>((r) => holder.stdout.on('data', (d: Buffer) => d.toString().includes('held') && r()));

    const store = new LocalTraceStore(root);
    const t0 = performance.now();
    expect(() => store.getOrCreateExperiment('busy')).toThrow(LockBusyError);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(() => withFileLock(lock, () => 0)).toThrow(/held by pid \d+ on .* for \d+ ms/);

    setTrackingUri(root);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const t1 = performance.now();
    const pending = setExperiment('busy');
    expect(performance.now() - t1).toBeLessThan(100); // did not block
    const id = await pending;
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(20); // the event loop ran meanwhile (~1.5 s of ticks)
    expect(id).toBe('1');
    expect(runtimeState().experimentId).toBe('1');
    await holderExit;
    expect(JSON.parse(fs.readFileSync(join(root, EXPERIMENTS_FILE), 'utf8')).experiments.map((e: { name: string }) => e.name)).toEqual(['Default', 'busy']);
  }, 30_000);

  it('MLFLOW_EXPERIMENT_NAME with a directory where the lock belongs: importing does not block, traces land in the experiment', async () => {
    const root = tempRoot();
    fs.mkdirSync(join(lockOf(root), 'x'), { recursive: true });
    const r = await runTs(new URL('./__tests__/experiment-env-child.ts', import.meta.url), ['0'], {
      env: { MLFLOW_TRACKING_URI: root, MLFLOW_EXPERIMENT_NAME: 'from-env', MLFLOW_EXPERIMENT_ID: undefined },
    });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { importMs: number; experimentIds: string[] };
    expect(out.importMs).toBeLessThan(2_000); // was 5 s + import; the import itself (tsx transform) takes a few hundred ms
    expect(out.experimentIds).toEqual(['1']);
  }, 30_000);

  it('MLFLOW_EXPERIMENT_NAME with a fresh empty lock: importing does not block; the experiment resolves in the background', async () => {
    const root = tempRoot();
    fs.mkdirSync(join(root, LOCKS_DIR), { recursive: true });
    const r = await runTs(new URL('./__tests__/experiment-env-child.ts', import.meta.url), ['1000'], {
      env: { MLFLOW_TRACKING_URI: root, MLFLOW_EXPERIMENT_NAME: 'from-env', MLFLOW_EXPERIMENT_ID: undefined, TW_TEST_FRESH_LOCK: lockOf(root) },
    });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { importMs: number; experimentIds: string[] };
    expect(out.importMs).toBeLessThan(2_000);
    expect(out.experimentIds).toEqual(['1']);
  }, 30_000);
});
