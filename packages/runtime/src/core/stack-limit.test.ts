// Stack overflows inside traced recursion, landing at every point of the tracer's own code
// (__tests__/overflow-sweep-child.ts, in a Node child with a small stack): afterwards the tracer
// must be exactly as before, and every trace written. A "recording a value" count left raised by an overflow between its
// increment and decrement once turned every later traced call of the process into an untraced
// one (CI: the equivalence suite's recursion program wrote 1 of its 6 traces).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const child = fileURLToPath(new URL('./__tests__/overflow-sweep-child.ts', import.meta.url));
const OFFSETS = 120;

it('after an overflow at any point of enter/serialize/exit/fail, tracing goes on as before', async () => {
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--stack-size=100', '--conditions=@tracewright/source', '--import', 'tsx', child, String(OFFSETS)],
      { env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 16 * 1024 * 1024 },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err.slice(-2_000)}`)) : resolve({ stdout: out, stderr: err })),
    );
  });
  const outcome = JSON.parse(stdout.trim().split('\n').pop()!) as {
    overflows: number;
    leftBehind: string[];
    missed: number;
    missedProbes: string[];
    probes: number;
    dives: number;
    dived: number;
    waiting: number;
    open: string[];
  };
  expect(outcome.overflows, stderr.slice(-2_000)).toBe(outcome.dives);
  expect(outcome.leftBehind).toEqual([]);
  expect(outcome.missedProbes).toEqual([]);
  expect(outcome.probes).toBe(outcome.dives);
  // Every dive's trace is written when its root ends: spans whose calls could not even call the
  // tracer on the way out (the first overflow also finds fail() not yet compiled, and compiling
  // needs stack) are ended by the first caller with stack to spare (tracer.ts endAbandonedCalls).
  expect(outcome.open).toEqual([]);
  expect(outcome.waiting).toBe(0);
  expect(outcome.dived).toBe(outcome.dives);
}, 120_000);
