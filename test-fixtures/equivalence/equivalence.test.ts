/**
 * Tracing never changes what a program does — checked from the outside (issue 12, "Proof").
 *
 * Every program under programs/ runs in a real child process untraced and traced every way
 * we support (trace(), @Trace, `// @trace` through tspc and through the Node loader); the
 * suite compares what each run shows: the program's log (results, identity checks,
 * instanceof, own methods, ordering), how main ended, unhandled rejections, exit code and
 * crash reason. It also reads each traced run's ./mlruns (traces must be written), and bounds
 * memory, time and stack depth where the issue sets targets. README.md lists the programs.
 *
 * Figures (ratios, depths) are printed and written to test-artifacts/equivalence-figures.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { differences } from './harness/observation.js';
import { EquivalenceProject, listPrograms, REPO, TRACED_VARIANTS, type ProgramSpec, type Run, type TracedVariant } from './harness/project.js';
import { CALLS as GENERATOR_CALLS } from './programs/dropped-generator.js';

const ALL_VARIANTS = ['untraced', ...TRACED_VARIANTS] as const;
const WAIT = 600_000; // a test may wait for runs queued behind others (3 children at a time, on a shared box)

interface Case extends ProgramSpec {
  /** Root traces every traced run must write to ./mlruns ('some': at least one). */
  traces: number | 'some';
}

const CASES: Case[] = [
  // PGlite's start-up (WebAssembly Postgres, initdb on the first run) is seconds of CPU.
  { name: 'query-builder', traces: 3, timeoutMs: 180_000 },
  { name: 'http-client', traces: 5 },
  { name: 'cancelable', traces: 2 },
  { name: 'cached-promise', traces: 4 },
  { name: 'rejections', traces: 6 },
  { name: 'unhandled-crash', traces: 1, mode: 'crash' },
  { name: 'iterators', traces: 3 },
  { name: 'proxies', traces: 5 },
  { name: 'settle-order', traces: 15 },
  { name: 'dropped-generator', traces: 2 + GENERATOR_CALLS, timeoutMs: 60_000 },
  // The hang item 14 describes must end as a failure, not stall the suite.
  { name: 'immer-traps', traces: 'some', timeoutMs: 30_000 },
  // A heap limit keeps a runaway traced walker from taking the shared box's memory.
  { name: 'walker', traces: 1, timeoutMs: 45_000, nodeFlags: ['--max-old-space-size=1024'] },
  // 3 sync and 3 async overflows, each one traced root call.
  { name: 'recursion', traces: 6 },
  { name: 'deleted-global', traces: 9 },
  // One fetch and three renders, each a root call.
  { name: 'tracked-query', traces: 4 },
  // Two dispatches, each a root call (spans past the stack limit are not recorded).
  { name: 'overflowing-chain', traces: 2 },
  { name: 'memo-getters', traces: 1 },
];

let project: EquivalenceProject;
const figures: Record<string, unknown> = {};

beforeAll(async () => {
  const missing = listPrograms().filter((p) => !CASES.some((c) => c.name === p));
  if (missing.length) throw new Error(`programs without a case in equivalence.test.ts: ${missing.join(', ')}`);
  project = await EquivalenceProject.create(CASES.map((c) => c.name));
  // Queue every run now, in the order the tests need them, so children run while earlier tests assert.
  for (const c of CASES) for (const variant of ALL_VARIANTS) void project.run(c, variant);
}, WAIT);

afterAll(async () => {
  await project?.dispose();
  mkdirSync(join(REPO, 'test-artifacts'), { recursive: true });
  writeFileSync(join(REPO, 'test-artifacts', 'equivalence-figures.json'), JSON.stringify(figures, null, 2) + '\n');
}, WAIT);

const runs = (c: Case, variant: TracedVariant) => Promise.all([project.run(c, 'untraced'), project.run(c, variant)]);
const metricsOf = (run: Run): Record<string, number> => ('failed' in run ? {} : run.metrics);

/** The program does what it claims when nobody traces it (so the comparisons can fail). */
const BASELINE: Record<string, (run: Run) => void> = {
  'query-builder': (run) => {
    expect(run).toMatchObject({ log: expect.arrayContaining([['queries after one await', 1], ['queries run before anyone awaited', 0]]) });
  },
  'http-client': (run) => expect(run).toMatchObject({ log: expect.arrayContaining([['getUser(1).json()', { id: 1, name: 'user1' }]]) }),
  cancelable: (run) => expect(run).toMatchObject({ log: expect.arrayContaining([['cancel handlers run', ['report']]]) }),
  'cached-promise': (run) => expect(run).toMatchObject({ log: expect.arrayContaining([['same promise for both callers', true]]) }),
  rejections: (run) =>
    expect(run).toMatchObject({
      unhandled: expect.arrayContaining([
        { class: 'Error', message: 'left unhandled by the program' },
        { class: 'TypeError', message: 'dropped by the program' },
      ]),
    }),
  'unhandled-crash': (run) => expect(run).toMatchObject({ exitCode: 1, crash: expect.stringContaining('SMTP refused ops@example.com'), log: ['sent'] }),
  iterators: (run) => expect(run).toMatchObject({ log: expect.arrayContaining([['peekable: instanceof Peekable', true], ['pulls before the program used it', 0]]) }),
  proxies: (run) => expect(run).toMatchObject({ log: expect.arrayContaining([['revoked proxy returned unchanged', true]]) }),
  'settle-order': (run) => expect(run).toMatchObject({ log: expect.arrayContaining([['race traced first', 'traced']]) }),
  'dropped-generator': (run) => expect(run).toMatchObject({ log: expect.arrayContaining([['first below 5', [0, 1, 2, 3, 4]]]) }),
  'immer-traps': (run) => expect(run).toMatchObject({ log: expect.arrayContaining([['tiny', { a: 2 }], ['untouched subtree shared', true]]) }),
  walker: (run) => expect(run).toMatchObject({ log: [['same json as superjson', true], ['annotations', 8_200]] }),
  recursion: (run) =>
    expect(run).toMatchObject({
      exitCode: 0,
      log: [
        ['what the overflow threw', ['plain RangeError', 'traced RangeError']],
        ['what the async overflow rejected with', ['plain RangeError', 'traced RangeError']],
      ],
    }),
  'deleted-global': (run) => expect(run).toMatchObject({ log: expect.arrayContaining([['typeof BigInt', 'undefined'], ['without BigInt: add', 3]]) }),
  'tracked-query': (run) =>
    expect(run).toMatchObject({
      log: expect.arrayContaining([
        ['after unsubscribing mid-fetch', 'success', 'idle', [{ id: 1, title: 'write the note' }]],
        ['notifications', 2],
      ]),
    }),
  'memo-getters': (run) =>
    expect(run).toMatchObject({
      log: [
        ['events on the root', ['NEXT', 'xstate.route']],
        ['as JSON', '{"definition":{"on":{"NEXT":"b","xstate.route":"routed"}}}'],
      ],
    }),
  'overflowing-chain': (run) =>
    expect(run).toMatchObject({
      log: [
        ['dispatch', 'rejected', true],
        ['catching dispatch', 'error response'],
      ],
      unhandled: [],
    }),
};

/**
 * Differences not fixed yet, each also stated in the README ("Tracing never changes what the
 * program does"). Key: "<program> <variant>".
 */
const KNOWN_GAPS: Record<string, string> = {};

describe.each(CASES)('$name', (c) => {
  it('untraced baseline does what the program claims', async () => {
    const run = await project.run(c, 'untraced');
    expect('failed' in run ? run.failed : null, 'untraced run failed').toBeNull();
    BASELINE[c.name]!(run);
    expect(run.traces, 'an untraced program writes no traces').toEqual([]);
  }, WAIT);

  for (const variant of TRACED_VARIANTS) {
    const gap = KNOWN_GAPS[`${c.name} ${variant}`];
    // A known, documented difference is asserted to still exist (it.fails): fixing it turns this
    // red, and the entry must then go.
    (gap ? it.fails : it)(`${variant}: same observable behaviour as untraced${gap ? ` (known gap: ${gap})` : ''}`, async () => {
      const [untraced, traced] = await runs(c, variant);
      const diff = differences(untraced, traced, variant);
      expect(diff, `${c.name} traced with ${variant} behaves differently from untraced:\n  ${diff.join('\n  ')}`).toEqual([]);
    }, WAIT);
  }

  it.each(TRACED_VARIANTS)('%s: writes its traces to ./mlruns', async (variant) => {
    const run = await project.run(c, variant);
    const count = run.traces.length;
    const want = c.traces === 'some' ? 'at least 1' : String(c.traces);
    const ok = c.traces === 'some' ? count >= 1 : count === c.traces;
    expect(ok, `${c.name} traced with ${variant} wrote ${count} traces to ./mlruns, expected ${want}; the run's stderr ends with:\n${run.stderr.slice(-1_500)}`).toBe(true);
  }, WAIT);
});

describe('dropped generators (itertools takewhile / islice)', () => {
  const c = CASES.find((x) => x.name === 'dropped-generator')!;

  it.each(TRACED_VARIANTS)('%s: every dropped generator span is ended as unfinished, and its trace written', async (variant) => {
    const run = await project.run(c, variant);
    const rows = run.traces.flatMap((t) => t.spans.filter((s) => s.name === 'rows'));
    const marked = rows.filter((s) => s.status === 'ERROR' && ['abandoned', 'timeout', 'exit'].includes(String(s.attributes['tracewright.span.unfinished'])));
    expect(rows.length, `${variant}: generator spans written`).toBe(2 + GENERATOR_CALLS);
    expect(marked.length, `${variant}: generator spans ended with status ERROR and tracewright.span.unfinished`).toBe(rows.length);
  }, WAIT);

  it.each(TRACED_VARIANTS)(`%s: ${GENERATOR_CALLS} calls do not pin memory`, async (variant) => {
    const [untraced, traced] = await runs(c, variant);
    const base = metricsOf(untraced).heapGrowthMb;
    const growth = metricsOf(traced).heapGrowthMb;
    figures[`dropped-generator heap growth MB (${variant} vs untraced)`] = [growth, base];
    expect(base, 'untraced heap growth measured').toBeTypeOf('number');
    expect(growth, `${variant}: no heap figure (${'failed' in traced ? traced.failed : 'missing'})`).toBeTypeOf('number');
    // A few KB per call held (item 10) is tens of MB here; a fixed runtime holds nothing.
    expect(growth!, `${variant}: heap grew ${growth!.toFixed(1)} MB over ${GENERATOR_CALLS} calls after GC (untraced ${base!.toFixed(1)} MB)`).toBeLessThanOrEqual(base! + 5);
  }, WAIT);
});

describe('recursive walker over a large object (superjson-style): memory and time', () => {
  const c = CASES.find((x) => x.name === 'walker')!;

  it.each(TRACED_VARIANTS)('%s: peak RSS ≤ 2× untraced + 50 MB, walk time bounded (no blow-up)', async (variant) => {
    const [untraced, traced] = await runs(c, variant);
    if ('failed' in untraced) throw new Error(`untraced walker failed: ${untraced.failed}`);
    if ('failed' in traced) {
      figures[`walker ${variant}`] = { untraced: { peakRssMb: untraced.maxRssKb / 1024, walkMs: untraced.metrics.walkMs }, traced: traced.failed };
      throw new Error(`${variant}: the traced walker ${traced.failed}; untraced took ${untraced.metrics.walkMs?.toFixed(0)} ms, peak RSS ${(untraced.maxRssKb / 1024).toFixed(0)} MB`);
    }
    const rss = { untraced: untraced.maxRssKb / 1024, traced: traced.maxRssKb / 1024 };
    const ms = { untraced: untraced.metrics.walkMs!, traced: traced.metrics.walkMs! };
    figures[`walker ${variant}`] = { peakRssMb: rss, walkMs: ms, rssRatio: rss.traced / rss.untraced, timeRatio: ms.traced / ms.untraced };
    console.log(`walker ${variant}: peak RSS ${rss.traced.toFixed(0)} / ${rss.untraced.toFixed(0)} MB (×${(rss.traced / rss.untraced).toFixed(2)}), walk ${ms.traced.toFixed(0)} / ${ms.untraced.toFixed(0)} ms (×${(ms.traced / ms.untraced).toFixed(1)})`);
    // The Node loader variant compiles TypeScript in-process: what it holds before the walk starts
    // is the compiler's, not the tracer's, and is taken out of the comparison.
    const before = { untraced: untraced.metrics.rssBeforeWalkMb!, traced: traced.metrics.rssBeforeWalkMb! };
    const toolchain = variant === 'comment-loader' ? Math.max(0, before.traced - before.untraced) : 0;
    expect(
      rss.traced - toolchain,
      `${variant}: peak RSS ${rss.traced.toFixed(0)} MB (${toolchain.toFixed(0)} MB of it the loader's before the walk) vs untraced ${rss.untraced.toFixed(0)} MB`,
    ).toBeLessThanOrEqual(2 * rss.untraced + 50);
    // A blow-up guard (the walk once ran out of memory after 112 s), not the speed target: the
    // time ratio is a benchmark's to judge, and this machine's load moves it several-fold.
    expect(ms.traced, `${variant}: walk ${ms.traced.toFixed(0)} ms vs untraced ${ms.untraced.toFixed(0)} ms`).toBeLessThanOrEqual(20 * ms.untraced + 5_000);
  }, WAIT);
});

describe('maximum recursion depth', () => {
  const c = CASES.find((x) => x.name === 'recursion')!;

  it.each(TRACED_VARIANTS)('%s: traced depth meets its floor', async (variant) => {
    const run = await project.run(c, variant);
    if ('failed' in run) throw new Error(`${variant}: recursion program ${run.failed}`);
    const { plainDepth, alsFloorDepth, tracedDepth, plainAsyncDepth, tracedAsyncDepth } = run.metrics;
    figures[`recursion ${variant}`] = { plainDepth, alsFloorDepth, tracedDepth, ofPlain: tracedDepth! / plainDepth!, plainAsyncDepth, tracedAsyncDepth };
    console.log(`recursion ${variant}: traced ${tracedDepth}, untraced ${plainDepth}, AsyncLocalStorage-only floor ${alsFloorDepth}; async to the overflow: traced ${tracedAsyncDepth}, untraced ${plainAsyncDepth}`);
    if (variant === 'comment-tspc' || variant === 'comment-loader') {
      expect(tracedDepth!, `${variant}: traced depth ${tracedDepth} < 50% of untraced ${plainDepth}`).toBeGreaterThanOrEqual(0.5 * plainDepth!);
    } else {
      expect(tracedDepth!, `${variant}: traced depth ${tracedDepth} < the AsyncLocalStorage-only floor ${alsFloorDepth}`).toBeGreaterThanOrEqual(alsFloorDepth!);
    }
  }, WAIT);

  it.each(TRACED_VARIANTS)('%s: every span is ended by the overflow itself, none left for the process end', async (variant) => {
    const run = await project.run(c, variant);
    const leftOpen = run.traces.flatMap((t) => t.spans).filter((s) => s.attributes['tracewright.span.unfinished'] !== undefined);
    expect(run.traces.length).toBeGreaterThan(0);
    expect(leftOpen.length, `${variant}: ${leftOpen.length} spans ended as unfinished (${String(leftOpen[0]?.attributes['tracewright.span.unfinished'])})`).toBe(0);
  }, WAIT);
});
