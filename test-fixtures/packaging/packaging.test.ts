/**
 * The built packages as users consume them: `npm test` builds first, then this test loads
 * @tracewright/runtime from dist/ with plain Node — once through `import`, once through
 * `require` — and checks both copies share one tracer (a span started through the CommonJS
 * copy is the parent of a span made through the ESM copy).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const root = join(__dirname, '..', '..');
const runtimeDist = join(root, 'packages', 'runtime', 'dist');

test('ESM and CommonJS consumers share one tracer', () => {
  expect(existsSync(join(runtimeDist, 'esm', 'index.js')), 'run `npm run build` first').toBe(true);
  expect(existsSync(join(runtimeDist, 'cjs', 'index.js'))).toBe(true);
  expect(existsSync(join(runtimeDist, 'esm', 'index.d.ts'))).toBe(true);
  const dir = mkdtempSync(join(root, '.tmp-packaging-'));
  const script = join(dir, 'consumer.mjs');
  writeFileSync(
    script,
    `
    import { createRequire } from 'node:module';
    import * as esm from '@tracewright/runtime';
    const cjs = createRequire(import.meta.url)('@tracewright/runtime');
    const memory = new esm.InMemoryDestination();
    cjs.setDestination(memory);
    const inner = esm.trace(function inner(x) { return x * 2; }, esm.SpanType.TOOL);
    cjs.withSpan(() => inner(21), { name: 'outer' });
    const spans = memory.traces[0].data.spans;
    console.log(JSON.stringify({
      distinctModules: esm.trace !== cjs.trace,
      spans: spans.map((s) => ({ name: s.name, parent: s.parentId ? spans.find((p) => p.spanId === s.parentId).name : null, outputs: s.outputs })),
    }));
    `,
  );
  let out: unknown;
  try {
    out = JSON.parse(execFileSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(out).toEqual({
    distinctModules: true,
    spans: [
      { name: 'outer', parent: null, outputs: 42 },
      { name: 'inner', parent: 'outer', outputs: 42 },
    ],
  });
});
