// A `return` inside a `with` statement (sloppy-mode JavaScript): the function stays inline, so an
// async one settles on the same microtask turn as untraced, and no generated name is looked up
// on the `with` object (a Proxy's `has` trap, the usual sandbox, sees exactly what it sees
// untraced). Run from the outside: the same script untraced and through the Node loader.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LOADER_MODE, SOURCE_MODE, removeScratchDirs, runNode, scratchDir } from './adapters/__tests__/workspace.js';

afterAll(removeScratchDirs);

const SCRIPT = `
const { InMemoryDestination, setDestination } = require('@tracewright/runtime');
const memory = new InMemoryDestination();
setDestination(memory);
const seen = [];
const scope = new Proxy({ b: 'from scope' }, { has(t, k) { if (typeof k === 'string') seen.push(k); return k in t; } });

// @trace
function lookup(o) {
  with (o) {
    return b;
  }
}

// @trace
async function lookupLater(o) {
  await null;
  with (o) {
    if (b) return b + '!';
  }
  return 'none';
}

// @trace
async function immediate(o) {
  with (o) return Promise.resolve(b);
}

async function turnsUntilSettled(p) {
  let settled = false;
  p.then(() => (settled = true), () => (settled = true));
  let turns = 0;
  while (!settled) {
    await null;
    turns++;
  }
  return turns;
}

(async () => {
  const log = [lookup(scope), await lookupLater(scope), await immediate(scope)];
  log.push(['turns', await turnsUntilSettled(lookupLater(scope)), await turnsUntilSettled(immediate(scope))]);
  log.push(['with object saw', ...seen]);
  const spans = memory.traces.flatMap((t) => t.data.spans.map((s) => [s.name, s.status.statusCode, s.endTimeUnixNano !== undefined]));
  console.log(JSON.stringify({ log, spans }));
})();
`;

it('keeps a function with a return inside `with` inline: same turns, nothing looked up on the object', async () => {
  const dir = scratchDir('with-statement');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
  writeFileSync(join(dir, 'main.cjs'), SCRIPT);
  const [untraced, traced] = await Promise.all([runNode([...SOURCE_MODE, 'main.cjs'], { cwd: dir }), runNode([...LOADER_MODE, 'main.cjs'], { cwd: dir })]);
  expect(untraced.stderr).toBe('');
  expect(traced.stderr).toBe('');
  const plain = JSON.parse(untraced.stdout) as { log: unknown[]; spans: unknown[] };
  const rewritten = JSON.parse(traced.stdout) as { log: unknown[]; spans: unknown[] };
  expect(plain.spans).toEqual([]); // the loader is what traces
  expect(rewritten.log).toEqual(plain.log);
  expect(rewritten.spans).toEqual(['lookup', 'lookupLater', 'immediate', 'lookupLater', 'immediate'].map((name) => [name, 'STATUS_CODE_OK', true]));
});
