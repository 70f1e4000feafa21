/**
 * Peer comparison worker: tracewright, one of its ways per process (argv[2]):
 *   trace       trace(fn)
 *   decorator   @Trace() methods
 *   directive   `// @trace` functions, compiled with the transformer's rewriter at start
 *   disabled    trace(fn) with tracing disabled from the start
 *   disabled-after-on   trace(fn), tracing on for some traced calls first, then disabled
 * Finished traces go to a destination that holds them (≤ MAX_RETAINED_SPANS spans) until "export".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setImmediate as tick } from 'node:timers/promises';
import { disableTracing, setDestination, SpanAttributeKey, trace, Trace, type Trace as TraceRecord } from '@tracewright/runtime';
import { rewrite } from '@tracewright/transformer';
import { A, B, buildScenarios, checkInputs, checkOutputs, DIRECTIVE_SOURCE, DOC, ExportQueue, scenariosOf, SCENARIO_IDS, type AnyFn, type Thunk } from './scenarios.js';
import { runWorker } from './worker.js';

const mode = process.argv[2] ?? 'trace';

const queue = new ExportQueue<TraceRecord>(
  (t) => t.data.spans.length,
  (t) => {
    for (const s of t.data.spans) {
      checkInputs(s.name, s.encodedAttributes[SpanAttributeKey.INPUTS], true);
      checkOutputs(s.name, s.encodedAttributes[SpanAttributeKey.OUTPUTS]);
    }
  },
);
setDestination({ description: 'bench export queue', export: (t) => queue.push(t), flush: async () => {}, shutdown: async () => {} });

class Scenarios {
  @Trace()
  add(a: number, b: number) {
    return a + b;
  }
  @Trace()
  async addAsync(a: number, b: number) {
    return a + b;
  }
  @Trace()
  inner(a: number, b: number) {
    return a * b;
  }
  @Trace()
  middle(a: number, b: number) {
    return this.inner(a, b) + 1;
  }
  @Trace()
  outer(a: number, b: number) {
    return this.middle(a, b) + 1;
  }
  @Trace()
  summarize(doc: typeof DOC, limit: number) {
    let n = 0;
    for (let i = 0; i < limit && i < doc.sections.length; i++) n += doc.sections[i]!.text.length;
    return n + doc.tags.length;
  }
  @Trace()
  format(user: string, n: number) {
    return JSON.stringify({ user, n, at: n * 2 }).length;
  }
}

async function directiveScenarios(): Promise<Record<string, Thunk>> {
  const dir = mkdtempSync(join(tmpdir(), 'tw-peers-'));
  try {
    // .mts: an ES module, as the rewriter emits it for an ESM build.
    const out = rewrite(DIRECTIVE_SOURCE, 'peers-directive.mts', { runtimeModule: import.meta.resolve('@tracewright/runtime/inject') });
    if (!out || out.diagnostics.length) throw new Error(`rewrite failed: ${JSON.stringify(out?.diagnostics)}`);
    const file = join(dir, 'peers-directive.mts');
    writeFileSync(file, out.code);
    return scenariosOf((await import(pathToFileURL(file).href)) as Record<string, AnyFn>);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let scenarios: Partial<Record<string, Thunk>>;
if (mode === 'decorator') {
  const s = new Scenarios();
  scenarios = {
    a: () => s.add(A, B),
    b: () => s.addAsync(A, B),
    c: () => s.outer(A, B),
    d: () => s.summarize(DOC, 3),
    e: () => s.format('u1', 5),
  };
} else if (mode === 'directive') {
  scenarios = await directiveScenarios();
} else {
  scenarios = buildScenarios((fn, name) => trace(fn, { name }));
}

if (mode === 'disabled-after-on') {
  // Traced calls of every kind while tracing is on, then off: the disabled figures must not
  // carry anything left behind (async-context hooks, pending work).
  for (let i = 0; i < 2_000; i++) for (const id of SCENARIO_IDS) await scenarios[id]!();
  queue.export();
  disableTracing();
  for (let i = 0; i < 10; i++) await tick();
} else if (mode === 'disabled') {
  disableTracing();
}
if (mode.startsWith('disabled')) {
  // Only what the disabled targets compare with bare calls.
  scenarios = { a: scenarios.a, b: scenarios.b, e: scenarios.e };
}

runWorker({
  scenarios,
  pendingSpans: mode.startsWith('disabled') ? undefined : () => queue.pendingSpans,
  exportAll: () => queue.export(),
});
