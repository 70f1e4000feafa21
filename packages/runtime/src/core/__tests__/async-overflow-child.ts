// Async (and sync) recursion run until the stack overflows, several times in one process, traced
// with trace() and @Trace or untraced (argv[2]). Prints one JSON line: for each shape, what each
// round's caller caught and how deep it went; unhandled rejections seen; traces written. Run by
// async-overflow.test.ts in a plain Node child: the failure this guards against killed the process.
import { tracesInProgress } from '../trace-buffer.js';
import { flushTraces, InMemoryDestination, setDestination, trace, Trace } from '../../index.js';

const traced = process.argv[2] === 'traced';
const ROUNDS = 3;

const memory = new InMemoryDestination();
setDestination(memory);
const unhandled: string[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(String((reason as Error)?.message ?? reason)));

let deepest = 0;
const wrap = <F extends (...args: any[]) => any>(f: F): F => (traced ? trace(f) : f);

// Each level calls the next before its first await, so the recursion is synchronous. The
// recursive calls go through the module bindings (the traced functions), not the inner names.
type Level = (n: number) => Promise<number>;
let awaitNext: Level = async (n) => {
  deepest = n;
  return 1 + (await awaitNext(n + 1));
};
let returnNext: Level = async (n) => {
  deepest = n;
  return returnNext(n + 1);
};
let catchRethrow: Level = async (n) => {
  deepest = n;
  try {
    return 1 + (await catchRethrow(n + 1));
  } catch (error) {
    throw error;
  }
};
let syncNext = (n: number): number => {
  deepest = n;
  return 1 + syncNext(n + 1);
};
awaitNext = wrap(awaitNext);
returnNext = wrap(returnNext);
catchRethrow = wrap(catchRethrow);
syncNext = wrap(syncNext);

class Walker {
  async plain(n: number): Promise<number> {
    deepest = n;
    return 1 + (await this.plain(n + 1));
  }
}
class TracedWalker {
  @Trace()
  async walk(n: number): Promise<number> {
    deepest = n;
    return 1 + (await this.walk(n + 1));
  }
}
const walker = traced ? new TracedWalker() : new Walker();
const decorated = (n: number): Promise<number> => (walker instanceof TracedWalker ? walker.walk(n) : walker.plain(n));

const shapes: Record<string, (n: number) => number | Promise<number>> = {
  awaitNext: (n) => awaitNext(n),
  returnNext: (n) => returnNext(n),
  catchRethrow: (n) => catchRethrow(n),
  syncNext: (n) => syncNext(n),
  decorated,
};

const result: Record<string, { caught: string[]; depth: number }> = {};
for (const [name, start] of Object.entries(shapes)) {
  const caught: string[] = [];
  let depth = 0;
  for (let round = 0; round < ROUNDS; round++) {
    deepest = 0;
    try {
      await start(0);
      caught.push('returned');
    } catch (error) {
      caught.push(`${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
    }
    depth = Math.max(depth, deepest);
  }
  result[name] = { caught: [...new Set(caught)], depth };
}
// Let every observed rejection settle and Node's unhandled-rejection check run.
await new Promise((resolve) => setTimeout(resolve, 20));
// Every finished trace handed to the destination (export runs off the call path).
await flushTraces();
const roots = memory.traces.map((t) => t.data.spans.find((s) => s.parentId === null)?.status.statusCode ?? 'no root');
process.stdout.write(JSON.stringify({ result, unhandled, roots, waiting: tracesInProgress() }) + '\n');
