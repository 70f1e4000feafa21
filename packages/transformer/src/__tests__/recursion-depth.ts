// Measures how deep a recursive sync function, and an async one (each level calls the next
// before its first await, so the recursion is synchronous), go untraced and with `// @trace`
// (compiled by the text path and by the ts-patch factory emitter), in this one process, tracing
// on and every span kept; prints JSON. Run by recursion-depth.test.ts in a plain Node child process: under
// the test runner's module transform the runtime's frames, and so the numbers, vary from run to run.
import ts from 'typescript';
import * as inject from '@tracewright/runtime/inject';
import { configureTracing, disableTracing, enableTracing, InMemoryDestination, setDestination } from '@tracewright/runtime';
import { rewrite } from '../core/rewrite.js';
import { createBeforeTransformer } from '../tspatch.js';

type Fn = (n: number) => number | Promise<number>;

const SOURCES = {
  sync: (directive: string) => `${directive}
export function depth(n: number): number {
  if (n === 0) return 0;
  return 1 + depth(n - 1);
}
`,
  async: (directive: string) => `${directive}
export async function depth(n: number): Promise<number> {
  if (n === 0) return 0;
  return 1 + (await depth(n - 1));
}
`,
};

/** TypeScript → CommonJS, optionally with the ts-patch before transformer. */
function compile(code: string, transform: boolean): string {
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 };
  return ts.transpileModule(code, { fileName: 'depth.ts', compilerOptions, transformers: transform ? { before: [createBeforeTransformer()] } : undefined }).outputText;
}

function load(code: string): Fn {
  const module = { exports: {} as { depth?: Fn } };
  const require = (id: string) => {
    if (id === '@tracewright/runtime/inject') return inject;
    throw new Error(`unexpected require(${id})`);
  };
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  return module.exports.depth!;
}

const memory = new InMemoryDestination();

/**
 * Shallow calls before every probe, so each probe runs optimized code: an overflow unwinding
 * through a traced function's catch deoptimizes it.
 */
async function warm(f: Fn): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    memory.clear();
    const r = f(10);
    if (typeof r !== 'number') await r; // a sync function's warm-up stays synchronous
  }
}

async function reaches(f: Fn, n: number): Promise<boolean> {
  await warm(f);
  memory.clear();
  try {
    const r = f(n);
    return (typeof r === 'number' ? r : await r) === n;
  } catch (error) {
    // Node's randomFillSync (the runtime's span-id pool refill, every 2,048 ids) throws
    // `undefined` instead of a RangeError when it runs out of stack: also an overflow.
    if (error instanceof RangeError || error === undefined) return false;
    throw error;
  }
}

/**
 * Largest n for which f(n) returns (bisection on stack overflow); best of three rounds (the
 * frames the JIT gives a function, so the depth, differ by when its background compiles land:
 * two rounds once gave the disabled copy 7,721 of 15,453, one short of half).
 */
async function maxDepth(f: Fn): Promise<number> {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let lo = 1;
    let hi = 2;
    while (await reaches(f, hi)) {
      lo = hi;
      hi *= 2;
    }
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (await reaches(f, mid)) lo = mid;
      else hi = mid;
    }
    best = Math.max(best, lo);
  }
  return best;
}

setDestination(memory);
enableTracing();
configureTracing({ maxSpansPerTrace: 1_000_000 });

async function measure(source: (directive: string) => string) {
  const untraced = load(compile(source(''), false));
  const textPath = () => load(compile(rewrite(source('// @trace'), 'depth.ts', { moduleKind: 'cjs' })!.code, false));
  const traced = {
    text: textPath(),
    tspatch: load(compile(source('// @trace'), true)),
  };
  enableTracing();
  // It really traces: one span per level, all kept, each with its input and output.
  const spans: Record<string, number> = {};
  for (const [path, f] of Object.entries(traced)) {
    memory.clear();
    await f(1_000);
    const all = memory.traces.flatMap((t) => t.data.spans);
    spans[path] = all.filter((s) => (s.inputs as { n?: number } | undefined)?.n === (s.outputs as number)).length;
  }
  const result = { untraced: await maxDepth(untraced), text: await maxDepth(traced.text), tspatch: await maxDepth(traced.tspatch), spans, disabled: 0 };
  // A program run with tracing off: a fresh copy of the function, which never ran traced. (The
  // copy above keeps the shape the JIT gave it while traced, helpers' bodies inlined into its
  // frame, and goes about as deep as traced: measured once that way, 50% in a loaded CI run.)
  disableTracing();
  result.disabled = await maxDepth(textPath());
  return result;
}

setDestination(memory);
configureTracing({ maxSpansPerTrace: 1_000_000 });
const result = { sync: await measure(SOURCES.sync), async: await measure(SOURCES.async) };
process.stdout.write(JSON.stringify(result) + '\n');
