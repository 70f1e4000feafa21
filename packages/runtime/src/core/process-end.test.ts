/**
 * The first rule across a whole process: unhandled rejections, process.exit(), signals and
 * dropped generators behave exactly as untraced (exit code, signal, output), and the traced run
 * still records what happened. Each scenario runs in a child process twice (see ending-child.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { LocalStoreDestination } from '../store/local-destination.js';
import type { Trace } from '../model/trace.js';

const child = fileURLToPath(new URL('./__tests__/ending-child.ts', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  traces: Trace[];
}

async function run(scenario: string, mode: 'traced' | 'untraced', signalAfterReady?: NodeJS.Signals, env: Record<string, string> = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'tw-ending-'));
  dirs.push(dir);
  const proc = spawn(process.execPath, ['--conditions=@tracewright/source', '--import', 'tsx', '--expose-gc', child, scenario, mode, dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => {
    stdout += d;
    if (signalAfterReady && stdout.includes('ready')) {
      setTimeout(() => proc.kill(signalAfterReady), 50);
      signalAfterReady = undefined;
    }
  });
  proc.stderr.on('data', (d: Buffer) => (stderr += d));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => proc.on('close', (c, s) => resolve([c, s])));
  const store = new LocalStoreDestination(dir);
  const traces = mode === 'traced' ? (await store.searchTraces({ maxResults: 100 })).traces : [];
  await store.shutdown();
  // Stack frame lines and process ids differ between runs; the messages must not.
  const normalized = stderr
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .map((line) => line.replace(/\(node:\d+\)/g, '(node:PID)'))
    .join('\n');
  return { code, signal, stdout, stderr: normalized, traces };
}

async function compare(scenario: string, signal?: NodeJS.Signals): Promise<Run> {
  const [untraced, traced] = await Promise.all([run(scenario, 'untraced', signal), run(scenario, 'traced', signal)]);
  const observable = (r: Run) => ({ code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr });
  expect(observable(traced)).toEqual(observable(untraced));
  return traced;
}

const attr = (trace: Trace, name: string, key: string) => trace.data.spans.find((s) => s.name === name)?.getAttribute(key);

describe('unhandled rejections stay exactly as untraced', () => {
  test('a rejection nobody handles crashes the same way, and the failed call is recorded', async () => {
    const traced = await compare('unhandled');
    expect(traced.code).toBe(1);
    expect(traced.stderr).toContain('boom unhandled');
    expect(traced.stdout).not.toContain('still alive');
    expect(traced.traces.map((t) => [t.data.spans[0]!.name, t.info.state])).toEqual([['fail', 'ERROR']]);
  });

  test('a promise handled inside the traced function and returned fire-and-forget does not crash', async () => {
    const traced = await compare('handled-inside');
    expect(traced.code).toBe(0);
    expect(traced.stdout).toContain('still alive');
  });

  test('a cached promise handled at creation and returned fire-and-forget does not crash', async () => {
    const traced = await compare('cached-handled');
    expect(traced.code).toBe(0);
    expect(traced.stdout).toContain('still alive');
  });

  test('unhandledRejection, a late handler and rejectionHandled: same events in the same order', async () => {
    const traced = await compare('late-handler');
    expect(traced.stdout).toBe('unhandledRejection: late\nlate catch: late\nrejectionHandled\nend\n');
  });

  test('many calls pending at once, handled early, late, never and out of order: same events in the same order', async () => {
    const traced = await compare('many-pending');
    const lines = traced.stdout.trim().split('\n');
    // p2 and p4 are never handled; p0 and p6 are handled after their reports.
    expect(lines.filter((l) => l.startsWith('unhandledRejection')).sort()).toEqual(['p0', 'p2', 'p4', 'p6'].map((m) => `unhandledRejection: ${m}`));
    expect(lines.filter((l) => l === 'rejectionHandled')).toHaveLength(2);
    expect(lines.at(-1)).toBe('end');
    expect(traced.traces).toHaveLength(8);
  });

  test('a handler attached a microtask later still counts as handled', async () => {
    const traced = await compare('handled-next-microtask');
    expect(traced.stdout).toBe('caught\n');
  });

  test('tracing disabled between the rejection and the handler: still handled, the failed call recorded', async () => {
    const traced = await compare('handled-after-disable');
    expect(traced.stdout).toBe('caught\n');
    expect(traced.traces.map((t) => [t.data.spans[0]!.name, t.info.state])).toEqual([['fail', 'ERROR']]);
  });
});

describe('the run that ended abnormally is recorded', () => {
  test('process.exit() inside a traced function: same exit code, spans recorded, trace ERROR', async () => {
    const traced = await compare('exit-inside');
    expect(traced.code).toBe(3);
    expect(traced.traces).toHaveLength(1);
    const [t] = traced.traces;
    expect(t!.info.state).toBe('ERROR');
    expect(t!.data.spans.map((s) => [s.name, s.status.statusCode])).toEqual([
      ['main', 'STATUS_CODE_ERROR'],
      ['step', 'STATUS_CODE_OK'],
    ]);
    expect(attr(t!, 'main', 'tracewright.span.unfinished')).toBe('exit');
  });

  test('a child span left open when the process ends normally: trace written, child marked, state OK', async () => {
    const traced = await compare('open-child');
    expect(traced.code).toBe(0);
    const [t] = traced.traces;
    expect(t!.info.state).toBe('OK');
    expect(attr(t!, 'forgotten', 'tracewright.span.unfinished')).toBe('exit');
    expect(t!.data.spans.find((s) => s.name === 'forgotten')!.status.statusCode).toBe('STATUS_CODE_ERROR');
  });

  test('SIGTERM without a handler: still terminated by SIGTERM, the pending trace is written', async () => {
    const traced = await compare('sigterm', 'SIGTERM');
    expect(traced.signal).toBe('SIGTERM');
    const [t] = traced.traces;
    expect(t!.info.state).toBe('ERROR');
    expect(attr(t!, 'main', 'tracewright.span.unfinished')).toBe('exit');
  });

  test('SIGTERM with two runtime copies in use (ESM and CommonJS builds): still terminated, the trace is written', async () => {
    const traced = await compare('sigterm-two-copies', 'SIGTERM');
    expect(traced.signal).toBe('SIGTERM');
    expect(traced.traces.map((t) => t.data.spans[0]!.name).sort()).toEqual(['double', 'main']);
  });

  test("SIGTERM with the program's own handler: the handler decides, the trace is written at its exit", async () => {
    const traced = await compare('sigterm-handled', 'SIGTERM');
    expect([traced.code, traced.signal]).toEqual([0, null]);
    expect(traced.stdout).toContain('handler ran');
    expect(traced.traces).toHaveLength(1);
  });

  test('process.exit() at random points of a stream of traced calls: every call made is recorded', async () => {
    const points = [0, 1 + Math.floor(Math.random() * 20), 20 + Math.floor(Math.random() * 60)];
    for (const exitAt of points) {
      const traced = await run('exit-at', 'traced', undefined, { EXIT_AT: String(exitAt) });
      expect(traced.code).toBe(0);
      const steps = traced.traces.map((t) => t.data.spans[0]!.inputs as { i: number }).map((x) => x.i).sort((a, b) => a - b);
      expect(steps, `exit at call ${exitAt}`).toEqual(Array.from({ length: exitAt + 1 }, (_, i) => i));
      const last = traced.traces.find((t) => (t.data.spans[0]!.inputs as { i: number }).i === exitAt)!;
      expect([last.info.state, last.data.spans[0]!.getAttribute('tracewright.span.unfinished')]).toEqual(['OK', 'exit']);
    }
  });

  test('a generator pulled and dropped: its span ends when collected ("abandoned"), the trace is written', async () => {
    const traced = await compare('abandoned');
    expect(traced.stdout).toBe('[0,1,2]\ncollected\n');
    const [t] = traced.traces;
    expect(t!.data.spans.map((s) => s.name)).toEqual(['takeThree', 'count']);
    expect(attr(t!, 'count', 'tracewright.span.unfinished')).toBe('abandoned');
    expect(t!.data.spans.find((s) => s.name === 'count')!.outputs).toEqual([0, 1, 2]);
  });
});
