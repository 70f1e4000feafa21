// Traced recursion overflowing the stack with the stack padded by 0..OFFSETS extra slots first,
// so that the overflow lands at a different point of the tracer's enter/serialize/exit/fail
// each time. After every overflow the tracer must be as before: nothing suspended (the
// "recording a value" count back at 0, no context left behind) and a traced probe call starts
// its own root trace; every dive's trace is written when its root ends.
// Run with a small --stack-size by stack-limit.test.ts, so that a dive is a few hundred levels.
import { enter, exit, fail } from '../../inject.js';
import { currentFrame } from '../context.js';
import { runtimeState } from '../state.js';
import { tracesInProgress, waitingTraces } from '../trace-buffer.js';
import { flushTraces, InMemoryDestination, setDestination, trace } from '../../index.js';

const OFFSETS = Number(process.argv[2] ?? 300);
const memory = new InMemoryDestination();
setDestination(memory);

// The shapes the three ways of tracing produce: `// @trace` (inject calls inline), trace().
// Inputs of one number: the tracer's deepest call chain at each level is then short, so the
// overflow can land in any call the tracer makes.
function injected(depth: number): number {
  const call = enter('injected', undefined, { depth });
  try {
    return exit(call, injected(depth + 1) + 1);
  } catch (error) {
    throw fail(call, error);
  }
}
let wrapped = (depth: number): number => wrapped(depth + 1) + 1;
wrapped = trace(wrapped, { name: 'wrapped' });
const probe = trace((offset: number, shape: string) => ({ offset, shape }), { name: 'probe' });

// Each extra argument is one more stack slot (8 bytes) under the dive: offsets 0..OFFSETS move
// where the overflow lands through every position of a recursion level.
function padded(dive: () => number, ..._slots: unknown[]): number {
  return dive();
}
const dives: Record<string, () => number> = { injected: () => injected(0), wrapped: () => wrapped(0) };
const missedProbes: string[] = [];
const leftBehind: string[] = [];
let overflows = 0;
let probes = 0;
for (const [shape, dive] of Object.entries(dives)) {
  {
    for (let offset = 0; offset < OFFSETS; offset++) {
      try {
        Reflect.apply(padded, undefined, [dive, ...new Array(offset)]);
      } catch (error) {
        if (error instanceof RangeError) overflows++;
      }
      if (runtimeState().recording !== 0 || currentFrame() !== undefined) {
        leftBehind.push(`${shape} offset ${offset}: recording ${runtimeState().recording}, context ${currentFrame()?.span?.name}`);
        runtimeState().recording = 0;
      }
      const before = memory.traces.length + tracesInProgress();
      probe(offset, shape);
      probes++;
      await flushTraces();
      const probeTraces = memory.traces.filter((t) => t.data.spans.some((s) => s.name === 'probe')).length;
      if (probeTraces !== probes) {
        missedProbes.push(`${shape} offset ${offset} (traces before ${before})`);
        probes = probeTraces;
      }
    }
  }
}
await flushTraces();
const dived = memory.traces.filter((t) => t.data.spans.some((s) => s.name !== 'probe' && s.parentId === null)).length;
process.stdout.write(JSON.stringify({ overflows, leftBehind: leftBehind.slice(0, 20), probes, missedProbes: missedProbes.slice(0, 20), missed: missedProbes.length, dives: Object.keys(dives).length * OFFSETS, dived, waiting: tracesInProgress(), open: waitingTraces().map((w) => `${w.rootSpan}: ${w.openSpans.length} open`) }) + '\n');
