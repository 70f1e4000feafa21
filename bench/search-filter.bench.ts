/**
 * searchTraces filter evaluation cost: a compiled filter vs a hand-written JS predicate doing
 * the same comparison, over 100,000 synthetic trace infos.
 *
 *   node --conditions=@tracewright/source --import tsx bench/search-filter.bench.ts
 */
import { compileFilter, compileOrderBy, type TraceInfo } from '@tracewright/runtime';
import { measureSync, report, type Measurement } from './harness.js';

const N = 100_000;
const ROUNDS = 15;

function makeInfos(): TraceInfo[] {
  const infos: TraceInfo[] = [];
  for (let i = 0; i < N; i++) {
    infos.push({
      traceId: `tr-${i.toString(16).padStart(32, '0')}`,
      traceLocation: { type: 'MLFLOW_EXPERIMENT', mlflowExperiment: { experimentId: '0' } },
      requestTime: 1_700_000_000_000 + i * 13,
      executionDuration: (i * 7919) % 2000,
      state: i % 17 === 0 ? 'ERROR' : 'OK',
      traceMetadata: { 'mlflow.trace_schema.version': '3', 'mlflow.trace.user': `u${i % 50}`, 'mlflow.trace.session': `s${i % 900}` },
      tags: { 'mlflow.traceName': i % 3 ? 'answer' : 'retrieve', env: i % 2 ? 'prod' : 'dev' },
      assessments: [],
    });
  }
  return infos;
}

/** One pass over all infos through `test`, as a Measurement per evaluation; also checks both sides agree. */
function perEvaluation(name: string, pass: () => number): Measurement & { matches: number } {
  let matches = pass();
  for (let i = 0; i < 5; i++) matches = pass(); // warm-up / JIT
  const m = measureSync(name, 1, () => void (matches = pass()), ROUNDS);
  return { name, nsPerOp: m.nsPerOp / N, matches };
}

const infos = makeInfos();
const traces = infos.map((info) => ({ info }));

interface Case {
  name: string;
  filter: string;
  baseline: (info: TraceInfo) => boolean;
}

const cases: Case[] = [
  {
    name: 'metadata equality',
    filter: "metadata.`mlflow.trace.user` = 'u1'",
    baseline: (info) => info.traceMetadata['mlflow.trace.user'] === 'u1',
  },
  {
    name: 'AND of 3 (status, numeric, tag LIKE)',
    filter: "trace.status = 'OK' AND trace.execution_time_ms > 500 AND tags.env LIKE 'pr%'",
    baseline: (info) => info.state === 'OK' && info.executionDuration! > 500 && info.tags['env']!.startsWith('pr'),
  },
  {
    name: 'OR + NOT + ILIKE',
    filter: "(metadata.`mlflow.trace.session` = 's7' OR NOT trace.name ILIKE 'ANS%') AND trace.status != 'ERROR'",
    baseline: (info) =>
      (info.traceMetadata['mlflow.trace.session'] === 's7' || !info.tags['mlflow.traceName']!.toLowerCase().startsWith('ans')) &&
      info.state !== 'ERROR',
  },
];

console.log(`search-filter bench: ${N.toLocaleString()} TraceInfo evaluations per pass, median of ${ROUNDS} passes`);
for (const c of cases) {
  const t0 = performance.now();
  const predicate = compileFilter(c.filter);
  const compileMs = performance.now() - t0;
  const compiled = perEvaluation('compiled filter', () => {
    let n = 0;
    for (let i = 0; i < traces.length; i++) if (predicate(traces[i]!)) n++;
    return n;
  });
  const baseline = perEvaluation('hand-written predicate', () => {
    let n = 0;
    for (let i = 0; i < infos.length; i++) if (c.baseline(infos[i]!)) n++;
    return n;
  });
  if (compiled.matches !== baseline.matches) throw new Error(`${c.name}: compiled matched ${compiled.matches}, baseline ${baseline.matches}`);
  report(`${c.name}: ${c.filter}`, [compiled, baseline], baseline, [
    `compile: ${compileMs.toFixed(3)} ms; one pass over ${N.toLocaleString()} infos: ${((compiled.nsPerOp * N) / 1e6).toFixed(2)} ms; ${compiled.matches} matches`,
  ]);
}

const compare = compileOrderBy(['tags.env', 'execution_time_ms DESC']);
// Same keys and tie-breaks (timestamp_ms DESC, request_id ASC), without the missing-value handling.
const handSort = (a: TraceInfo, b: TraceInfo) =>
  a.tags['env']! < b.tags['env']!
    ? -1
    : a.tags['env']! > b.tags['env']!
      ? 1
      : b.executionDuration! - a.executionDuration! || b.requestTime - a.requestTime || (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0);
const sorted = measureSync('compileOrderBy comparator', 1, () => void [...infos].sort(compare), 5);
const handSorted = measureSync('hand-written comparator', 1, () => void [...infos].sort(handSort), 5);
report(`order_by ['tags.env', 'execution_time_ms DESC'] (+ default tie-breaks), sorting ${N.toLocaleString()} infos (ns per sort)`, [sorted, handSorted], handSorted);
