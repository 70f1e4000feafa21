// The text emitter against layouts where automatic semicolon insertion decides what the code
// means (issue 12 item 7): no semicolons; lines starting with `(`, `[`, a template, `+`, `-`,
// a regex; `return` before a line break; arrow bodies over lines; class fields; `super()` as
// the last statement; comments at line ends; a bare `yield` before such lines.
//
// Seeded random programs built from those pieces. Every rewrite either reports an error
// diagnostic or emits code that V8 and TypeScript parse; the rewritten program then runs as the
// untransformed one does (same result, same log), and records the same spans as the ts-patch
// path's output (the factory emitter through TypeScript's own emit).
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as inject from '@tracewright/runtime/inject';
import { enableTracing, InMemoryDestination, setDestination, type Span } from '@tracewright/runtime';
import { createBeforeTransformer } from '../tspatch.js';
import { rewrite } from './rewrite.js';

const SEED = 0x7ace;
const PROGRAMS = 250;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Statement runs for a function body; each relies on ASI somewhere and logs what it computed. */
const BODY: readonly string[] = [
  'let a = [1]\n[0]\nout.push(a)',
  'let b = 2\n;[b, b + 1].forEach((v) => out.push(v))',
  'let t = String\n`tpl`\nout.push(t)',
  'let c = 3\n+1\nout.push(c)',
  'let d = 3\n-1\nout.push(d)',
  'let r = 8\n/2/1\nout.push(r)',
  'let i = 0\nlet j = i\n++i\nout.push(i, j)',
  "out.push('x') // a comment at the line end",
  "/* before */ out.push('y') /* after */",
  "let m = 'abc'\n;/b/.test(m) && out.push('re')",
  'const f2 = (v) => v\n  * 2\nout.push(f2(3))',
  'const o = { k: 1 }\n["k"]\nout.push(o)',
  "const g = () => 'g'\n;(g)()\nout.push(g())",
  "let s = 'tmpl'\n;`${s}`.split('').forEach((ch) => out.push(ch))",
];

/** The last statement of a function body (what it returns, or ASI right after `return`). */
const TAIL: readonly string[] = ['return out.length', 'return\nout.length', 'return [out.length]\n[0]', 'out.length', "return 'end' // done", ''];

/** Lines after a bare `yield` in a traced loop body; ASI ends the `yield` before each. */
const AFTER_YIELD: readonly string[] = [
  '(out).push(i)',
  '[i, -i].forEach((v) => out.push(v))',
  '`t${i}`.length',
  '+i',
  '-i',
  "/x/.test('x') && out.push('re' + i)",
  'out.push(i) // comment',
];

interface Site {
  /** Declarations (module level). */
  code: string;
  /** An expression that exercises the site and whose value is logged. */
  call: string;
}

type Pick = <T>(xs: readonly T[]) => T;

function body(pick: Pick, random: () => number, indent: string): string {
  // Distinct runs: each declares its own names once.
  const runs = [...BODY];
  const lines: string[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let k = 0; k < count; k++) lines.push(runs.splice(Math.floor(random() * runs.length), 1)[0]!);
  lines.push(pick(TAIL));
  return lines
    .join('\n')
    .split('\n')
    .map((l) => indent + l)
    .join('\n');
}

const SITES: ReadonlyArray<(name: string, pick: Pick, random: () => number) => Site> = [
  (name, pick, random) => ({ code: `// @trace\nfunction ${name}(p, q = 2) {\n${body(pick, random, '  ')}\n}`, call: `${name}(1)` }),
  (name, pick, random) => ({ code: `// @trace\nconst ${name} = (p) => {\n${body(pick, random, '  ')}\n}`, call: `${name}(1)` }),
  (name, pick, random) => ({ code: `// @trace\nfunction ${name}(p) {\n  ${pick(['"use strict"', "'use strict'", '"use strict" // why'])}\n${body(pick, random, '  ')}\n}`, call: `${name}(1)` }),
  (name, pick) => ({
    code: `// @trace\nconst ${name} = (p) => ${pick(['p\n  + 1', '[p]\n  [0]', 'String\n  `x${p}`', '({ p })\n  .p', 'p // trailing', '(p\n)'])}`,
    call: `${name}(5)`,
  }),
  (name, pick, random) => ({
    code: `class ${name}K {\n  f = 1\n  g = [2]\n  // @trace\n  m(p) {\n${body(pick, random, '    ')}\n  }\n  h = 3\n}`,
    call: `new ${name}K().m(1)`,
  }),
  (name, pick) => ({
    code: `class ${name}K {\n  base = 1\n  // @trace\n  run = (p) => p\n    ${pick(['+ this.base', "['length']", '* 2'])}\n  other = 'x'\n}`,
    call: `new ${name}K().run('ab')`,
  }),
  (name, pick, random) => {
    const superCall = pick(['super(p)', 'super(p);', 'super(p) // comment after super', 'super(p) /* c */', 'super(\n      p\n    )']);
    const rest = random() < 0.4 ? '' : `\n${body(pick, random, '    ').replace(/return[^\n]*/g, 'out.push(this.v)')}`;
    return {
      code: `class ${name}B {\n  constructor(v) { this.v = v }\n}\nclass ${name}K extends ${name}B {\n  // @trace\n  constructor(p) {\n    ${superCall}${rest}\n  }\n}`,
      call: `new ${name}K(7).v`,
    };
  },
  (name, pick) => ({
    code: `// @trace\nfunction* ${name}(n) {\n  // @trace\n  for (let i = 0; i < n; i++) {\n    ${pick(['yield', 'const got = yield'])}\n    ${pick(AFTER_YIELD)}\n  }\n  yield\n  ${pick(['(out).push("done")', "out.push('done')"])}\n}`,
    call: `[...${name}(2)].length`,
  }),
  (name, pick) => ({
    code: `// @trace\nfunction ${name}(xs) {\n  let k = 0\n  // @trace\n  ${pick(['for (const x of xs) out.push(x)\n  ;[k].forEach((v) => out.push(v))', 'do out.push(k++)\n  while (k < 2)\n  ;(out).push("after")', 'outer: for (const x of xs) {\n    if (x > 1) break outer\n    out.push(x)\n  }', 'while (k < 2) k++\n  ;[k].forEach((v) => out.push(v))'])}\n  return k\n}`,
    call: `${name}([1, 2, 3])`,
  }),
];

function program(index: number): string {
  const random = prng(SEED + index);
  const pick: Pick = (xs) => xs[Math.floor(random() * xs.length)]!;
  const sites = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, k) => pick(SITES)(`s${k}`, pick, random));
  const prologue = pick(['"use strict"\n', '"use strict";\n', "'use strict' // strict\n", '// leading comment\n"use strict"\n']);
  const calls = sites.map((s) => `  log(${s.call})`).join('\n');
  return `${prologue}const out = []\n\n${sites.map((s) => s.code).join('\n\n')}\n\nfunction run(log) {\n${calls}\n  return out\n}\nmodule.exports = { run }\n`;
}

interface Observed {
  outcome: { value: unknown } | { error: string };
  log: unknown[];
  spans: unknown[];
}

function runModule(code: string, memory: InMemoryDestination): Observed {
  const module = { exports: {} as { run?: (log: (x: unknown) => void) => unknown } };
  const require = (id: string) => {
    if (id === '@tracewright/runtime/inject') return inject;
    throw new Error(`unexpected require(${id})`);
  };
  memory.clear();
  const log: unknown[] = [];
  let outcome: Observed['outcome'];
  try {
    new Function('require', 'module', 'exports', code)(require, module, module.exports);
    outcome = { value: structuredClone(module.exports.run!((x) => log.push(structuredClone(x)))) };
  } catch (error) {
    outcome = { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
  const spans = memory.traces.flatMap((t) => tree(t.data.spans));
  return { outcome, log, spans };
}

function tree(spans: readonly Span[]): unknown[] {
  const node = (s: Span): unknown => ({ name: s.name, inputs: s.inputs, outputs: s.outputs ?? null, status: s.status.statusCode.replace('STATUS_CODE_', ''), children: spans.filter((c) => c.parentId === s.spanId).map(node) });
  return spans.filter((s) => !s.parentId).map(node);
}

function syntaxErrors(code: string): string[] {
  const sf = ts.createSourceFile('case.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

/** What tspc would emit (the factory emitter, then TypeScript's CommonJS emit). */
function viaFactory(source: string): string {
  return ts.transpileModule(source, {
    fileName: 'case.ts',
    // Force: these programs are CommonJS scripts (`module.exports`), compiled as modules.
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, moduleDetection: ts.ModuleDetectionKind.Force },
    transformers: { before: [createBeforeTransformer()] },
  }).outputText;
}

describe(`text emitter on ${PROGRAMS} ASI-sensitive programs (seed ${SEED})`, () => {
  const memory = new InMemoryDestination();
  beforeAll(() => {
    setDestination(memory);
    enableTracing();
  });
  afterAll(() => setDestination(undefined));

  const cases = Array.from({ length: PROGRAMS }, (_, i) => ({ i, source: program(i) }));

  it.each(cases)('program $i', ({ source }) => {
    const r = rewrite(source, 'case.ts', { moduleKind: 'cjs' });
    expect(r, 'every program has directives').not.toBeNull();
    const errors = r!.diagnostics.filter((d) => d.severity === 'error');
    expect(errors, 'no site here needs refusing').toEqual([]);
    const text = r!.code;
    expect(text.split('\n').length).toBe(source.split('\n').length);
    expect(syntaxErrors(text), text).toEqual([]);
    expect(() => new Function('require', 'module', 'exports', text), text).not.toThrow();

    const original = runModule(source, memory);
    const rewritten = runModule(text, memory);
    const factory = runModule(viaFactory(source), memory);
    expect(rewritten.outcome, text).toEqual(original.outcome);
    expect(rewritten.log, text).toEqual(original.log);
    expect(factory.outcome).toEqual(original.outcome);
    expect(factory.log).toEqual(original.log);
    expect(rewritten.spans.length).toBeGreaterThan(0);
    expect(rewritten.spans, text).toEqual(factory.spans);
  });

  it('refuses with a diagnostic what it cannot rewrite, leaving the code as it was', () => {
    const source = '"use strict"\nclass B { constructor(v) { this.v = v } }\nclass K extends B {\n  // @trace\n  constructor(p) {\n    if (p) super(p)\n    else super(0)\n  }\n}\n';
    const r = rewrite(source, 'case.ts', { moduleKind: 'cjs' })!;
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('super') })]);
    expect(syntaxErrors(r.code)).toEqual([]);
  });
});
