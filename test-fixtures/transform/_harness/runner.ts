/**
 * Child-process runner for the transformer fixtures: imports each compiled (or untransformed)
 * fixture module, calls its `run(log)`, and prints one JSON line per case: the outcome
 * (value or thrown error), the control-flow log, and the span trees the runtime exported.
 *
 * usage: node --conditions=@tracewright/source --import tsx runner.ts <case>=<file> ...
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { InMemoryDestination, setDestination, enableTracing, getTracingDiagnostics, resetTracingDiagnostics, type Span } from '@tracewright/runtime';

export interface SpanNode {
  name: string;
  type: string;
  inputs: unknown;
  outputs: unknown;
  status: string;
  error?: string;
  children: SpanNode[];
}

export interface CaseResult {
  outcome: { value: unknown } | { error: { name: string; message: string } };
  log: unknown[];
  traces: SpanNode[];
  internalErrors: Record<string, number>;
}

function plain(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v === undefined ? '<undefined>' : v)));
  } catch {
    return String(value);
  }
}

function tree(spans: readonly Span[]): SpanNode[] {
  const ordered = [...spans].sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : a.startTimeUnixNano > b.startTimeUnixNano ? 1 : 0));
  const node = (s: Span): SpanNode => {
    const n: SpanNode = { name: s.name, type: String(s.spanType), inputs: s.inputs ?? null, outputs: s.outputs ?? null, status: s.status.statusCode.replace('STATUS_CODE_', ''), children: [] };
    if (s.status.statusCode === 'STATUS_CODE_ERROR') n.error = s.status.description;
    n.children = ordered.filter((c) => c.parentId === s.spanId).map(node);
    if (s.endTimeUnixNano === null || s.endTimeUnixNano === undefined) n.status += ' (NOT ENDED)';
    return n;
  };
  return ordered.filter((s) => !s.parentId || !spans.some((p) => p.spanId === s.parentId)).map(node);
}

async function main(): Promise<void> {
  const dest = new InMemoryDestination();
  setDestination(dest);
  for (const arg of process.argv.slice(2)) {
    const eq = arg.indexOf('=');
    const name = arg.slice(0, eq);
    const file = arg.slice(eq + 1);
    dest.clear();
    enableTracing();
    resetTracingDiagnostics();
    const log: unknown[] = [];
    let outcome: CaseResult['outcome'];
    try {
      // CommonJS fixtures go through require (tsx's CJS hook), as a CommonJS app loads them.
      const mod = (/\.c[jt]s$/.test(file) ? createRequire(import.meta.url)(file) : await import(pathToFileURL(file).href)) as { run: (log: (x: unknown) => void) => unknown };
      outcome = { value: plain(await mod.run((x) => log.push(plain(x)))) };
    } catch (e) {
      const err = e as Error;
      outcome = { error: { name: String(err?.name), message: String(err?.message ?? e) } };
    }
    await new Promise((r) => setImmediate(r));
    const traces = dest.traces
      .slice()
      .map((t) => ({ t, start: t.data.spans.reduce((m, s) => (s.startTimeUnixNano < m ? s.startTimeUnixNano : m), t.data.spans[0]?.startTimeUnixNano ?? 0n) }))
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
      .map(({ t }) => t)
      .flatMap((t) => tree(t.data.spans));
    const result: CaseResult = { outcome, log, traces, internalErrors: { ...getTracingDiagnostics().errors } };
    process.stdout.write(JSON.stringify({ name, result }) + '\n');
  }
}

await main();
