/**
 * The peer comparison's scenarios, written once: every system wraps the same plain functions
 * with its own mechanism (`wrap`), and every system's "exporter" checks what it recorded
 * against the same expectations (`checkInputs` / `checkOutputs`).
 */
export type ScenarioId = 'a' | 'b' | 'c' | 'd' | 'e';

export const SCENARIOS: Record<ScenarioId, { title: string; async: boolean; spans: number }> = {
  a: { title: '(a) sync fn, 2 small args', async: false, spans: 1 },
  b: { title: '(b) async fn', async: true, spans: 1 },
  c: { title: '(c) 3 nested spans', async: false, spans: 3 },
  d: { title: '(d) 1.9 KB argument', async: false, spans: 1 },
  e: { title: '(e) realistic ~0.2 µs fn', async: false, spans: 1 },
};
export const SCENARIO_IDS = Object.keys(SCENARIOS) as ScenarioId[];

/** One root call of a scenario: returns its result (a promise for async scenarios). */
export type Thunk = () => unknown;
export type AnyFn = (...args: any[]) => any;
/** How a system traces a function: name and parameter names are given for systems that need them. */
export type Wrap = <F extends AnyFn>(fn: F, name: string, params: readonly string[]) => F;

/** A ~1.9 KB plain document (as JSON), built once. */
export const DOC = {
  id: 'bench-doc-7f3a',
  title: 'Quarterly report on retrieval quality',
  tags: ['rag', 'eval', 'retrieval'],
  sections: Array.from({ length: 6 }, (_, i) => ({
    heading: `Section ${i + 1}`,
    text: 'The retriever returned relevant passages for most questions; misses cluster on dates. '.repeat(3),
    score: 0.5 + i / 20,
  })),
};
export const DOC_BYTES = JSON.stringify(DOC).length;

export const A = 17;
export const B = 25;

function summarizeBody(doc: typeof DOC, limit: number): number {
  let n = 0;
  for (let i = 0; i < limit && i < doc.sections.length; i++) n += doc.sections[i]!.text.length;
  return n + doc.tags.length;
}
function formatBody(user: string, n: number): number {
  return JSON.stringify({ user, n, at: n * 2 }).length;
}

/** What the span of each function name must have recorded. */
const EXPECT: Record<string, { named: string[]; values: string[]; output: string }> = {
  add: { named: [`"a":${A}`, `"b":${B}`], values: [`${A}`, `${B}`], output: `${A + B}` },
  addAsync: { named: [`"a":${A}`, `"b":${B}`], values: [`${A}`, `${B}`], output: `${A + B}` },
  inner: { named: [`"a":${A}`, `"b":${B}`], values: [`${A}`, `${B}`], output: `${A * B}` },
  middle: { named: [`"a":${A}`, `"b":${B}`], values: [`${A}`, `${B}`], output: `${A * B + 1}` },
  outer: { named: [`"a":${A}`, `"b":${B}`], values: [`${A}`, `${B}`], output: `${A * B + 2}` },
  summarize: { named: [`"doc":{"id":"${DOC.id}"`, `"limit":3`], values: [DOC.id, DOC.sections[2]!.text.slice(0, 40)], output: `${summarizeBody(DOC, 3)}` },
  format: { named: ['"user":"u1"', '"n":5'], values: ['u1', '5'], output: `${formatBody('u1', 5)}` },
};

let verified = 0;
const failures: string[] = [];

function fail(message: string): void {
  if (failures.length < 5) failures.push(message);
}

/** Checks a recorded span's inputs (as JSON text). `named`: the system records inputs by parameter name. */
export function checkInputs(name: string, inputs: unknown, named: boolean): void {
  const e = EXPECT[name];
  if (!e) return fail(`unexpected span name ${JSON.stringify(name)}`);
  const text = typeof inputs === 'string' ? inputs : JSON.stringify(inputs);
  for (const frag of named ? e.named : e.values) {
    if (!text?.includes(frag)) return fail(`span ${name}: inputs ${String(text).slice(0, 120)} lack ${frag}`);
  }
  verified++;
}

export function checkOutputs(name: string, outputs: unknown): void {
  const e = EXPECT[name];
  if (!e) return fail(`unexpected span name ${JSON.stringify(name)}`);
  const text = typeof outputs === 'string' ? outputs : JSON.stringify(outputs);
  if (!text?.includes(e.output)) return fail(`span ${name}: outputs ${String(text).slice(0, 120)} lack ${e.output}`);
  verified++;
}

export function verification(): { verified: number; failures: string[] } {
  return { verified, failures };
}

/** The scenarios' root calls, each function traced with `wrap`. */
export function buildScenarios(wrap: Wrap): Record<ScenarioId, Thunk> {
  const add = wrap(function add(a: number, b: number) {
    return a + b;
  }, 'add', ['a', 'b']);
  const addAsync = wrap(async function addAsync(a: number, b: number) {
    return a + b;
  }, 'addAsync', ['a', 'b']);
  const inner = wrap(function inner(a: number, b: number) {
    return a * b;
  }, 'inner', ['a', 'b']);
  const middle = wrap(function middle(a: number, b: number) {
    return inner(a, b) + 1;
  }, 'middle', ['a', 'b']);
  const outer = wrap(function outer(a: number, b: number) {
    return middle(a, b) + 1;
  }, 'outer', ['a', 'b']);
  const summarize = wrap(function summarize(doc: typeof DOC, limit: number) {
    return summarizeBody(doc, limit);
  }, 'summarize', ['doc', 'limit']);
  const format = wrap(function format(user: string, n: number) {
    return formatBody(user, n);
  }, 'format', ['user', 'n']);
  return {
    a: () => add(A, B),
    b: () => addAsync(A, B),
    c: () => outer(A, B),
    d: () => summarize(DOC, 3),
    e: () => format('u1', 5),
  };
}

/** The same functions as `// @trace` source, for the tracewright transformer. */
export const DIRECTIVE_SOURCE = `
// @trace
export function add(a: number, b: number) {
  return a + b;
}
// @trace
export async function addAsync(a: number, b: number) {
  return a + b;
}
// @trace
export function inner(a: number, b: number) {
  return a * b;
}
// @trace
export function middle(a: number, b: number) {
  return inner(a, b) + 1;
}
// @trace
export function outer(a: number, b: number) {
  return middle(a, b) + 1;
}
// @trace
export function summarize(doc: { sections: { text: string }[]; tags: string[] }, limit: number) {
  let n = 0;
  for (let i = 0; i < limit && i < doc.sections.length; i++) n += doc.sections[i]!.text.length;
  return n + doc.tags.length;
}
// @trace
export function format(user: string, n: number) {
  return JSON.stringify({ user, n, at: n * 2 }).length;
}
`;

/** Root calls over a module compiled from DIRECTIVE_SOURCE (or any object with those functions). */
export function scenariosOf(m: Record<string, AnyFn>): Record<ScenarioId, Thunk> {
  const { add, addAsync, outer, summarize, format } = m as Record<string, AnyFn>;
  return {
    a: () => add!(A, B),
    b: () => addAsync!(A, B),
    c: () => outer!(A, B),
    d: () => summarize!(DOC, 3),
    e: () => format!('u1', 5),
  };
}

/**
 * Finished traces waiting for "export", as every real tracer holds them until its exporter
 * runs: bounded to MAX_RETAINED_SPANS spans (≤ 2,048 traces); when full, the batch is
 * "exported" — its first and last entries checked, then dropped.
 */
export const MAX_RETAINED_SPANS = 2048;

export class ExportQueue<T> {
  private items: T[] = [];
  private spans = 0;
  constructor(
    private readonly spansOf: (item: T) => number,
    private readonly check: (item: T) => void,
  ) {}
  push(item: T): void {
    const n = this.spansOf(item);
    if (this.spans + n > MAX_RETAINED_SPANS) this.export();
    this.items.push(item);
    this.spans += n;
  }
  export(): void {
    if (this.items.length) {
      this.check(this.items[0]!);
      this.check(this.items[this.items.length - 1]!);
    }
    this.items = [];
    this.spans = 0;
  }
  get pendingSpans(): number {
    return this.spans;
  }
}
