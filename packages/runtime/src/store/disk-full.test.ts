/**
 * A full disk, for real: the writer runs in a child process inside its own mount namespace on
 * a 1 MiB tmpfs (`unshare -m` + `mount -t tmpfs -o size=1m`). Mandatory when CI=true (CI runs
 * as root); elsewhere skipped, with the reason printed, if namespaces or mounts are not allowed.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LocalTraceStore } from './local-store.js';

function tmpfsUnavailable(): string | undefined {
  const probe = mkdtempSync(join(tmpdir(), 'tw-tmpfs-probe-'));
  const r = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=1m tw-probe "$1"', 'sh', probe], { encoding: 'utf8' });
  fs.rmSync(probe, { recursive: true, force: true });
  if (r.error) return `unshare not available: ${r.error.message}`;
  return r.status === 0 ? undefined : `unshare -m / mount -t tmpfs not permitted: ${(r.stderr || '').trim() || `exit ${r.status}`}`;
}

const unavailable = tmpfsUnavailable();
if (unavailable && process.env.CI === 'true') throw new Error(`the full-disk test is mandatory in CI, but ${unavailable}`);
if (unavailable) console.log(`skipping the full-disk test: ${unavailable}`);

interface ChildReport {
  a: string[];
  c: string[];
  flushB: number;
  filesDuringOutage: number;
  pausedDuringOutage: boolean;
  resumed: boolean;
  resumedAfterMs: number;
  filesAtEnd: string[];
  diagDuringOutage: { errors: Record<string, number>; dropped: Record<string, number> };
  diagnostics: { errors: Record<string, number>; dropped: Record<string, number> };
  logs: string[];
  appErrors: string[];
  description: string;
}

function runOnTinyTmpfs(out: string): Promise<{ code: number | null; stderr: string }> {
  const mnt = mkdtempSync(join(tmpdir(), 'tw-tmpfs-'));
  const child = fileURLToPath(new URL('./__tests__/disk-full-child.ts', import.meta.url));
  const script =
    'set -e; mnt="$1"; out="$2"; shift 2; mount -t tmpfs -o size=1m tw-disk-full "$mnt"; ' +
    '"$@" "$mnt/mlruns" "$mnt/filler" > "$out/report.json"; cp -a "$mnt/mlruns" "$out/mlruns"';
  const args = ['-m', 'sh', '-c', script, 'sh', mnt, out, process.execPath, '--conditions=@tracewright/source', '--import', import.meta.resolve('tsx'), child];
  return new Promise((resolve, reject) => {
    const p = spawn('unshare', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => {
      fs.rmSync(mnt, { recursive: true, force: true }); // the tmpfs went with the namespace
      resolve({ code, stderr });
    });
  });
}

describe.skipIf(unavailable !== undefined)('a full disk (1 MiB tmpfs in a mount namespace)', () => {
  it('backs off in one file pair, reports once, never throws into the app, keeps what was written, resumes when space returns', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tw-disk-full-'));
    const started = Date.now();
    const { code, stderr } = await runOnTinyTmpfs(out);
    expect([code, stderr]).toEqual([0, '']);
    expect(Date.now() - started).toBeLessThan(60_000);
    const r = JSON.parse(fs.readFileSync(join(out, 'report.json'), 'utf8')) as ChildReport;
    console.log(
      `disk full: ${r.filesDuringOutage} files during the outage, flush took ${r.flushB} ms, resumed ${r.resumedAfterMs} ms after space was freed, ` +
        `errors ${JSON.stringify(r.diagnostics.errors)}, dropped ${JSON.stringify(r.diagnostics.dropped)}`,
    );

    // The application never noticed.
    expect(r.appErrors).toEqual([]);
    expect(r.flushB).toBeLessThan(5_000); // flushTraces() makes one attempt, it does not wait for space
    // One file pair, reused: no new empty pair per failed batch.
    expect(r.pausedDuringOutage).toBe(true);
    expect(r.filesDuringOutage).toBeLessThanOrEqual(2);
    expect(r.filesAtEnd.length).toBeLessThanOrEqual(2);
    // Reported once (one outage, one log line), however many retries failed.
    const site = `write ${r.description}`;
    expect(r.diagDuringOutage.errors[site]).toBe(1);
    expect(r.diagnostics.errors[site]).toBe(1);
    expect(r.logs.filter((l) => l.includes(site))).toHaveLength(1);
    expect(r.logs[0]).toMatch(/ENOSPC/);
    // Writing resumed by itself (retry timer, no flush call) once space was freed.
    expect(r.resumed).toBe(true);

    const store = LocalTraceStore.open(join(out, 'mlruns'));
    try {
      // Everything handed over before the disk filled is intact; everything after it resumed is there.
      for (const id of [...r.a, ...r.c]) {
        const t = await store.getTrace(id);
        expect(t?.data.spans.map((s) => s.name)).toEqual(['diskStep']);
      }
      // Traces finished during the outage waited (bounded: 100) and were written; the rest are counted.
      const dropped = r.diagnostics.dropped[r.description] ?? 0;
      const storedB = store.count() - r.a.length - r.c.length;
      expect(storedB).toBeGreaterThanOrEqual(100);
      expect(storedB + dropped).toBe(8000);
      expect(store.problems()).toEqual([]);
    } finally {
      store.close();
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 90_000);
});
