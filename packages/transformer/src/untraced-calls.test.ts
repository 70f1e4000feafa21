// A `// @trace` function called while it records nothing (tracing disabled, under a span dropped
// by the trace's span budget) stops at reading the context: its directive argument is not
// evaluated and no inputs are gathered. Run from the outside, through the Node loader: the argument counts its own
// evaluations, so the counts say which calls started a span.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LOADER_MODE, removeScratchDirs, runNode, scratchDir } from './adapters/__tests__/workspace.js';

afterAll(removeScratchDirs);

const SCRIPT = `
const { configureTracing, disableTracing, enableTracing, InMemoryDestination, setDestination } = require('@tracewright/runtime');
const memory = new InMemoryDestination();
setDestination(memory);
let evaluated = 0;
const options = () => ({ attributes: { n: ++evaluated } });

// @trace(options())
function leaf(x) {
  return x * 2;
}

// @trace
function group(n) {
  return leaf(n) + leaf(n + 1);
}

// @trace
function walk(n) {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += group(i);
  return sum;
}

const log = [];
log.push(['traced', walk(2), evaluated]);
disableTracing();
log.push(['disabled', walk(2), evaluated]);
enableTracing();
// The root and the first group: that group's leaves are the first calls past the budget (they
// enter a dropped span); the next groups are dropped too, and the leaves under them stop at the context.
configureTracing({ maxSpansPerTrace: 2 });
log.push(['past the budget', walk(3), evaluated]);
const spans = memory.traces.map((t) => [t.data.spans.map((s) => [s.name, s.attributes.n ?? null]), t.info.traceMetadata['tracewright.trace.droppedSpans'] ?? null]);
console.log(JSON.stringify({ log, spans }));
`;

it('evaluates neither the directive argument nor the inputs of a call that starts no span', async () => {
  const dir = scratchDir('untraced-calls');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
  writeFileSync(join(dir, 'main.cjs'), SCRIPT);
  const run = await runNode([...LOADER_MODE, 'main.cjs'], { cwd: dir });
  expect(run.stderr).toBe('');
  const { log, spans } = JSON.parse(run.stdout) as { log: unknown[]; spans: unknown[] };
  expect(log).toEqual([
    ['traced', 8, 4],
    ['disabled', 8, 4],
    ['past the budget', 18, 6],
  ]);
  expect(spans).toEqual([
    [[['walk', null], ['group', null], ['leaf', 1], ['leaf', 2], ['group', null], ['leaf', 3], ['leaf', 4]], null],
    [[['walk', null], ['group', null]], '4'],
  ]);
});
