/**
 * Child process of search-abuse.test.ts: hostile filters against long values, through the
 * in-memory destination and the local store, each timed. Run as its own process so that a
 * search that never returns is a killed child (a failed test), not a hung test run.
 *   node --conditions=@tracewright/source --import tsx redos-search.ts <store-dir>
 */
import { InMemoryDestination, LocalStoreDestination, LocalTraceStore, setDestination, trace, withSpan } from '@tracewright/runtime';

export interface RedosResult {
  reader: string;
  filter: string;
  timeoutMs?: number;
  ms: number;
  count?: number;
  error?: { name: string; message: string };
}

/** [filter, timeoutMs] — each runs against 20 traces with 50–200 KB values. */
export const HOSTILE_FILTERS: Array<[string, number?]> = [
  ["tags.t RLIKE '(a+)+$'"],
  ["tags.t RLIKE '^(a|aa)+$'"],
  ["tags.t RLIKE '(x+x+)+y'"],
  ["tags.t RLIKE '^(([a-z])+.)+[A-Z]([a-z])+$'"],
  ["tags.t RLIKE '(.*a){20}!'"],
  ["metadata.m RLIKE '(?i)(\\pL|\\pN){0,200}!$'"],
  ["span.attributes.big RLIKE '(ab|a|b)*c$'"],
  [`tags.t LIKE '${'%a'.repeat(40)}%!'`],
  [`tags.t ILIKE '${'%A_'.repeat(20)}%!'`],
  [`trace.text LIKE '${'%b'.repeat(25)}%zz'`],
  ["tags.t RLIKE '(a)\\1'"], // backtracking-only syntax: a FilterSyntaxError, at once
  // Over budget: SearchTimeoutError. The budget is checked between traces, and a warm linear
  // engine scans these 20 values in about 1 ms in all, so the budget is a fraction of one trace.
  ["span.attributes.big RLIKE '(ab|a|b)*cd$'", 0.01],
];

async function main(dir: string): Promise<void> {
  const memory = new InMemoryDestination();
  setDestination(memory);
  const record = trace(async function hostile(i: number) {
    return withSpan(() => i, { name: 'big', attributes: { big: 'ab'.repeat(100_000) } });
  });
  for (let i = 0; i < 20; i++) await record(i);
  setDestination(undefined);
  // The tracer caps tags at 4,096 and metadata at 250 characters; imported traces carry any length.
  for (const t of memory.traces) {
    t.info.tags.t = 'a'.repeat(50_000) + 'b';
    t.info.traceMetadata.m = 'é1'.repeat(50_000);
  }
  const writer = new LocalStoreDestination(dir);
  for (const t of memory.traces) writer.export(t);
  await writer.flush();
  await writer.shutdown();
  const store = LocalTraceStore.open(dir);

  const results: RedosResult[] = [];
  for (const [reader, search] of [
    ['in-memory', (o: object) => memory.searchTraces(o)],
    ['local store', (o: object) => store.searchTraces(o)],
  ] as const) {
    for (const [filter, timeoutMs] of HOSTILE_FILTERS) {
      const started = performance.now();
      const result: RedosResult = { reader, filter, ms: 0 };
      if (timeoutMs !== undefined) result.timeoutMs = timeoutMs;
      try {
        result.count = (await search({ filterString: filter, timeoutMs, includeSpans: false })).traces.length;
      } catch (error) {
        result.error = { name: (error as Error).name, message: (error as Error).message };
      }
      result.ms = Math.round(performance.now() - started);
      results.push(result);
    }
  }
  store.close();
  process.stdout.write(JSON.stringify(results));
}

await main(process.argv[2]!);
