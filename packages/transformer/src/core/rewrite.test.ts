import { TraceMap, originalPositionFor, generatedPositionFor } from '@jridgewell/trace-mapping';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { rewrite } from './rewrite.js';

function syntaxErrors(code: string, fileName: string): string[] {
  const sf = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
  const diags = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

const fn = '// @trace\nfunction add(a: number, b: number) {\n  return a + b;\n}\n';

describe('rewrite (text path)', () => {
  it('returns null for files without directives, byte-identical input untouched', () => {
    expect(rewrite('export const x = 1;\n', 'a.ts')).toBeNull();
    expect(rewrite('// @tracer is not a directive\nexport const x = 1;\n', 'a.ts')).toBeNull();
  });

  it('is idempotent: rewriting its own output is a no-op', () => {
    const once = rewrite(fn, 'a.ts')!;
    expect(once.code).toContain('__tw$.enterIn(__tw$c0, "add"');
    expect(rewrite(once.code, 'a.ts')).toBeNull();
  });

  it('keeps every original line on its line, also with CRLF line endings', () => {
    const crlf = fn.replace(/\n/g, '\r\n') + '// @trace\r\nfor (const x of [1]) {\r\n  console.log(x);\r\n}\r\n';
    const out = rewrite(crlf, 'a.ts')!.code;
    expect(out.split('\r\n').length).toBe(crlf.split('\r\n').length);
    expect(syntaxErrors(out, 'a.ts')).toEqual([]);
  });

  it('puts the runtime import after a BOM and a shebang line', () => {
    const out = rewrite('\uFEFF#!/usr/bin/env node\n' + fn, 'cli.ts')!.code;
    expect(out.startsWith('\uFEFF#!/usr/bin/env node\nimport * as __tw$ from "@tracewright/runtime/inject"; // @trace')).toBe(true);
  });

  it('uses require after the "use strict" prologue for CommonJS', () => {
    const out = rewrite('"use strict";\n' + fn.replace(/: number/g, ''), 'a.cjs')!.code;
    expect(out.split('\n')[0]).toBe('"use strict"; const __tw$ = require("@tracewright/runtime/inject"); ');
  });

  it.each([
    ['a.js', 'const fs = require("fs");\n', 'require('],
    ['a.js', 'import fs from "fs";\n', 'import * as'],
    ['a.mjs', '', 'import * as'],
    ['a.cts', '', 'require('],
    ['a.ts', '', 'import * as'],
  ])('detects the module kind of %s', (file, prefix, expected) => {
    const out = rewrite(prefix + fn.replace(/: number/g, ''), file)!.code;
    expect(out).toContain(`${expected}`);
  });

  it('honours moduleKind and runtimeModule options', () => {
    const out = rewrite(fn, 'a.ts', { moduleKind: 'cjs', runtimeModule: 'my-runtime/inject' })!.code;
    expect(out).toContain('const __tw$ = require("my-runtime/inject");');
  });

  it('maps generated code back to the original positions', () => {
    const r = rewrite(fn, 'src/a.ts')!;
    expect(r.map.sources).toEqual(['src/a.ts']);
    expect(r.map.sourcesContent).toEqual([fn]);
    const map = new TraceMap(r.map.toString());
    const gen = generatedPositionFor(map, { source: 'src/a.ts', line: 3, column: 9 }); // `a + b`
    expect(gen.line).toBe(3);
    const lines = r.code.split('\n');
    expect(lines[gen.line! - 1]!.slice(gen.column!, gen.column! + 5)).toBe('a + b');
    expect(originalPositionFor(map, gen)).toMatchObject({ line: 3, column: 9 });
  });

  it('nests closers before outer closers when a traced loop ends where the traced function ends', () => {
    const out = rewrite('// @trace\nfunction f(xs: number[]) {\n// @trace\nfor (const x of xs) {}}\n', 'a.ts')!.code;
    expect(syntaxErrors(out, 'a.ts')).toEqual([]);
    expect(out).toMatch(/__tw\$i0\.end\(\); \} \} \};__tw\$r0 = undefined; \} catch \(__tw\$e\) \{ [^\n]* \} finally \{ if \(__tw\$r0 !== __tw\$c0\) __tw\$\.exit\(__tw\$c0, __tw\$r0\); \} \}\n$/);
  });

  it('wraps await and yield in a traced loop body, nested awaits included', () => {
    const src = 'async function f(g: any) {\n  // @trace\n  for (const x of [1]) { await g(await g(x)); }\n}\n';
    const out = rewrite(src, 'a.ts')!.code;
    expect(syntaxErrors(out, 'a.ts')).toEqual([]);
    expect(out).toContain('__tw$.back(await __tw$.leave(g(__tw$.back(await __tw$.leave(g(x), __tw$i0), __tw$i0)), __tw$i0), __tw$i0)');
  });

  it('handles TSX', () => {
    const src = '// @trace\nconst Hello = (p: { name: string }) => <div>{p.name}</div>;\n';
    const out = rewrite(src, 'a.tsx')!.code;
    expect(syntaxErrors(out, 'a.tsx')).toEqual([]);
    expect(out).toContain('{ let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "Hello", undefined, { p }); try { return __tw$.exit(__tw$c0, <div>{p.name}</div>); } catch');
  });

  it('refuses files that already use the reserved __tw$ prefix', () => {
    const r = rewrite('const __tw$x = 1;\n' + fn, 'a.ts')!;
    expect(r.code).toBe('const __tw$x = 1;\n' + fn);
    expect(r.diagnostics).toEqual([expect.objectContaining({ line: 1, column: 7, severity: 'error' })]);
  });

  it('counts only real identifiers as uses of __tw$, not comments or strings (issue 12 item 9)', () => {
    const prose = `// generated code imports @tracewright/runtime/inject as __tw$\nconst s = '__tw$ "@tracewright/runtime/inject"';\n/* __tw$i0 */\n`;
    const r = rewrite(prose + fn, 'a.ts')!;
    expect(r.diagnostics).toEqual([]);
    expect(r.code).toContain('__tw$.enterIn(__tw$c0, "add"');
    // A property name is an identifier too: kept as a clash (conservative), like a binding.
    expect(rewrite('const o = { __tw$: 1 };\n' + fn, 'a.ts')!.diagnostics).toEqual([expect.objectContaining({ line: 1, column: 13, severity: 'error' })]);
  });

  it('rejects a directive argument that uses the reserved prefix: it becomes generated code', () => {
    const r = rewrite('// @trace({ name: __tw$name })\nfunction f() {}\n', 'a.ts')!;
    expect(r.diagnostics).toEqual([expect.objectContaining({ line: 1, column: 19, severity: 'error', message: expect.stringContaining('__tw$') })]);
  });

  it('does not take prose that mentions // @trace for an orphan directive (issue 12 item 9)', () => {
    const code = '// see the // @trace docs\n/* or // @trace */\nconst a = 1; // write // @trace above functions\n' + fn;
    expect(rewrite(code, 'a.ts')!.diagnostics).toEqual([]);
    expect(rewrite('const a = 1;\n// @trace\n', 'a.ts')!.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('applies to nothing') })]);
  });

  it('attaches a directive written between a decorator and its member (issue 12 item 8)', () => {
    const code = 'class A {\n  @dec\n  // @trace\n  m(x: number) { return x; }\n  @dec // trailing, same line as the decorator\n  @other\n  // @trace(TOOL)\n  static s() {}\n}\n';
    const r = rewrite(code, 'a.ts')!;
    expect(r.diagnostics).toEqual([]);
    expect(r.code).toContain('m(x: number) { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "m", undefined, { x }); try { return __tw$.exit(__tw$c0, x); }');
    expect(r.code).toContain('static s() { let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "s", "TOOL", {}); try {}');
    const gap = rewrite('class A {\n  @dec\n  // @trace\n\n  m() {}\n}\n', 'a.ts')!;
    expect(gap.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('blank line') })]);
  });

  it('reports unsupported targets with file, line and column', () => {
    const r = rewrite('let a = 1;\n  // @trace\n  a++;\n', 'src/x.ts')!;
    expect(r.diagnostics).toEqual([{ file: 'src/x.ts', line: 2, column: 6, severity: 'error', message: expect.stringContaining('expression statement') }]);
  });

  it('warns when a member is traced twice (// @trace and @Trace)', () => {
    const r = rewrite("import { Trace } from '@tracewright/runtime';\nclass A {\n  // @trace\n  @Trace()\n  m(x: number) { return x; }\n}\n", 'a.ts')!;
    expect(r.diagnostics).toEqual([expect.objectContaining({ line: 4, severity: 'warning', message: expect.stringContaining('two nested spans') })]);
  });

  it('rejects constructs whose semantics it cannot keep', () => {
    const cases: Array<[string, RegExp]> = [
      ['// @trace\nfunction f(a: number) { var a; return a; }\n', /redeclares a parameter/],
      ['class A { m() {} }\nclass B extends A {\n  // @trace\n  *g(o) { with (o) yield super.m(); }\n}\n', /uses `super` and suspends inside `with`/],
      ['class A {}\nclass B extends A {\n  // @trace\n  constructor() { if (1) super(); else super(); }\n}\n', /top-level `super/],
      ['async function f(s: any) {\n  // @trace\n  for (const x of [1]) { for await (const y of s) {} }\n}\n', /for await/],
      ['// @trace\ndeclare function f(): void;\n', /without a body/],
    ];
    for (const [src, message] of cases) {
      const r = rewrite(src, 'a.ts')!;
      expect(r.diagnostics.map((d) => d.message).join('\n'), src).toMatch(message);
    }
  });

  it('traces sync and async functions inline, ending the call after the body where code runs after a return', () => {
    const form = (src: string) => {
      const code = rewrite(src, 'a.js')!.code;
      expect(syntaxErrors(code, 'a.js'), code).toEqual([]);
      if (/let __tw\$r0(, __tw\$h0)?; try \{/.test(code)) return 'deferred';
      return code.includes('__tw$.enterIn(') ? 'inline' : code.includes('__tw$.fn(') ? 'closure' : code;
    };
    expect(form('// @trace\nfunction f(a) { return a; }\n')).toBe('inline');
    expect(form('// @trace\nconst f = (a) => a;\n')).toBe('inline');
    expect(form('// @trace\nfunction f(a) { try { return a; } catch { return 0; } }\n')).toBe('inline');
    expect(form('// @trace\nfunction f(a) { try { g(); } finally { h(); } return a; }\n')).toBe('inline'); // no return inside the try
    expect(form('// @trace\nfunction f(a) { for (const x of a) g(x); return a; }\n')).toBe('inline');
    expect(form('// @trace\nfunction f(a) { for (const x of a) { const k = () => { return x; }; } }\n')).toBe('inline'); // a nested function's return
    // Code of the function still runs after the return value is taken: the call ends after the body.
    expect(form('// @trace\nfunction f(a) { try { return a; } finally { g(); } }\n')).toBe('deferred');
    expect(form('// @trace\nfunction f(a) { try { g(); } catch { return 1; } finally { g(); } }\n')).toBe('deferred');
    expect(form('// @trace\nfunction f(a) { for (const x of a) { if (x) return x; } }\n')).toBe('deferred');
    expect(form('// @trace\nfunction f(a) { using r = a; return 1; }\n')).toBe('deferred');
    // Iterations restore the context in their own finally, before the call ends:
    expect(form('// @trace\nfunction f(a) {\n  // @trace\n  for (const x of a) g(x);\n  return a;\n}\n')).toBe('deferred');
    // A return inside `with` is left as is (no generated name there): the call ends after the body.
    expect(form('// @trace\nfunction f(a) { with (a) { return b; } }\n')).toBe('deferred');
    expect(form('// @trace\nfunction f(a) { try { with (a) { return b; } } finally { g(); } }\n')).toBe('deferred');
    expect(rewrite('// @trace\nfunction f(a) { with (a) { return b; } }\n', 'a.js')!.code).toContain('with (a) { return b; }');
    // …but an await there would need leave/back, names the with object would see:
    expect(form('// @trace\nasync function f(a) { with (a) { return await b; } }\n')).toBe('closure');
    // Async functions follow the same rules, except where a suspension cannot leave the call's context:
    expect(form('// @trace\nasync function f(a) { await g(); return a; }\n')).toBe('inline');
    expect(form('// @trace\nasync function f(a) { try { return await a; } finally { await g(); } }\n')).toBe('deferred');
    expect(form('// @trace\nasync function f(a) { for (const x of a) { if (await x) return x; } }\n')).toBe('deferred');
    expect(form('// @trace\nasync function f(a) { using r = a; return 1; }\n')).toBe('deferred');
    expect(form('// @trace\nasync function f(a) { await using r = a; return 1; }\n')).toBe('deferred');
    expect(form('// @trace\nasync function f(a) { for (await using r of a) g(r); }\n')).toBe('closure'); // disposed per iteration
    expect(form('// @trace\nasync function f(a) {\n  // @trace\n  for (const x of a) await g(x);\n  return a;\n}\n')).toBe('deferred');
    // Generators and constructors are inline too (derived constructors after `super(...)`):
    expect(rewrite('// @trace\nasync function* f(a) { yield a; }\n', 'a.js')!.code).toContain('const __tw$c0 = __tw$.genEnter("f", undefined, { a }); let __tw$r0; try { __tw$.gback(yield __tw$.yielded(a, __tw$c0), __tw$c0); }');
    expect(rewrite('class A { m() {} }\nclass B extends A {\n  // @trace\n  *g() { yield super.m(); }\n}\n', 'a.js')!.diagnostics).toEqual([]); // no inner generator: `super` is fine
    expect(form('// @trace\nfunction* f(o) { with (o) yield 1; }\n')).toContain('return yield* __tw$.gen('); // a yield inside `with`: closure form
    expect(form('class A {\n  // @trace\n  constructor(a) { this.a = a; }\n}\n')).toBe('inline');
    expect(form('class B extends A {\n  // @trace\n  constructor(a) { super(a); if (a) return {}; }\n}\n')).toBe('inline');
  });

  it('leaves the iteration, then the call, around an await in a traced loop of an inline async function', () => {
    const out = rewrite('// @trace\nasync function f(a, g) {\n  // @trace\n  for (const x of a) { try { await g(x); } catch { } }\n}\n', 'a.js')!.code;
    expect(syntaxErrors(out, 'a.js'), out).toEqual([]);
    expect(out).toContain('__tw$.back(__tw$.back(await __tw$.leave(__tw$.leave(__tw$h0 = g(x), __tw$i0), __tw$c0), __tw$c0), __tw$i0);');
    expect(out).toContain('catch { __tw$.back(undefined, __tw$c0); __tw$.back(undefined, __tw$i0); }');
  });

  it('guards `await using` disposals: the caller gets its context back before they await, the span is re-entered after the block', () => {
    const out = rewrite('// @trace\nasync function f(a) {\n  await using r = a\n  if (a) {\n    await using s = a, t = a;\n    using u = a;\n  }\n  try { await using v = a; } catch { g(); }\n}\n', 'a.js')!.code;
    expect(syntaxErrors(out, 'a.js'), out).toEqual([]);
    expect(out).toContain('await using r = a; using __tw$g0 = __tw$.disposing(__tw$c0);\n'); // a `;` where ASI ended it
    expect(out).toContain('if (a) try { {\n    await using s = a, t = a; using __tw$g0 = __tw$.disposing(__tw$c0);\n    using u = a;\n  } } finally { __tw$.back(undefined, __tw$c0); }');
    expect(out).toContain('try { try { await using v = a; using __tw$g0 = __tw$.disposing(__tw$c0); } catch { __tw$.back(undefined, __tw$c0); g(); } } finally { __tw$.back(undefined, __tw$c0); }');
  });

  it('ends a deferred call after the body: returns record their value, a body without `;` at its end stays valid', () => {
    const out = rewrite('// @trace\nfunction f(a) {\n  try { return a, 1 } finally { g() }\n  if (a) return\n  h()\n}\n', 'a.js')!.code;
    expect(syntaxErrors(out, 'a.js'), out).toEqual([]);
    expect(out).toContain('try { return (__tw$r0 = (a, 1)) } finally { g() }');
    expect(out).toContain('if (a) return (__tw$r0 = undefined);');
    expect(out).toContain('h()\n;__tw$r0 = undefined; } catch (__tw$e) { __tw$r0 = __tw$c0; throw __tw$.fail(__tw$c0, __tw$e); } finally { if (__tw$r0 !== __tw$c0) __tw$.exit(__tw$c0, __tw$r0); } }');
  });

  it('gives each inline site its own call variable, and ends a bare `return` that relied on ASI', () => {
    const out = rewrite('// @trace\nfunction f(a) {\n  // @trace\n  const g = (b) => { if (b) return\n    (a)\n  };\n  return g;\n}\n', 'a.js')!.code;
    expect(out).toContain('let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "f"');
    expect(out).toContain('let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "g"');
    expect(out).toContain('if (b) return __tw$.exit(__tw$c1, undefined);\n    (a)');
    expect(out).toContain('return __tw$.exit(__tw$c0, g);');
  });
});
