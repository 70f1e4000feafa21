// A traced async function that recurses until the stack overflows must reject with the same
// RangeError the untraced one does, reaching the same catch, round after round in one process.
// (The promise observer's second V8 promise hook made Node turn the overflow inside a hook into
// an uncaught exception: exit code 7, "Exception in PromiseRejectCallback".) Untraced and traced
// (trace(), @Trace) run in plain Node children (__tests__/async-overflow-child.ts).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Outcome {
  result: Record<string, { caught: string[]; depth: number }>;
  unhandled: string[];
  roots: string[];
  waiting: number;
}

const child = fileURLToPath(new URL('./__tests__/async-overflow-child.ts', import.meta.url));

function run(mode: 'traced' | 'untraced'): Promise<{ code: number | null; outcome?: Outcome; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@tracewright/source', '--import', 'tsx', child, mode],
      { env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? null) : 0;
        const line = stdout.trim().split('\n').pop();
        resolve({ code, outcome: line?.startsWith('{') ? (JSON.parse(line) as Outcome) : undefined, stderr: stderr.slice(-2_000) });
      },
    );
  });
}

describe('stack overflow in traced recursion', () => {
  it('rejects (or throws) the same RangeError into the same catch as untraced, never ends the process', async () => {
    const [untraced, traced] = await Promise.all([run('untraced'), run('traced')]);
    expect(untraced.code, untraced.stderr).toBe(0);
    expect(traced.code, traced.stderr).toBe(0);
    const overflow = ['RangeError: Maximum call stack size exceeded'];
    for (const [shape, r] of Object.entries(untraced.outcome!.result)) {
      expect(r.caught, `untraced ${shape}`).toEqual(overflow);
      expect(traced.outcome!.result[shape]!.caught, `traced ${shape}`).toEqual(overflow);
      // It really recursed deep, traced too (one span per level up to the trace's span budget).
      expect(traced.outcome!.result[shape]!.depth, `traced ${shape}`).toBeGreaterThan(1_000);
    }
    expect(traced.outcome!.unhandled).toEqual(untraced.outcome!.unhandled);
    // Every round of every shape has its trace, written with the root ended by the error: a call
    // that returned with no stack left even to call the tracer, or a span begun with no stack left
    // to record its inputs, is ended (or withdrawn) at the next traced return, not left open.
    const rounds = Object.keys(untraced.outcome!.result).length * 3;
    expect(traced.outcome!.waiting).toBe(0);
    expect(traced.outcome!.roots).toEqual(new Array(rounds).fill('STATUS_CODE_ERROR'));
    console.log(`max depth at the overflow, untraced → traced: ${Object.entries(untraced.outcome!.result).map(([s, r]) => `${s} ${r.depth} → ${traced.outcome!.result[s]!.depth}`).join(', ')}`);
  }, 60_000);
});
