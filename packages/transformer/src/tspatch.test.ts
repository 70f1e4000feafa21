import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import transformer, { createBeforeTransformer } from './index.js';

const src = `import { PREFIX } from './consts';
// @trace({ name: PREFIX })
export function f(a: number) {
  return a;
}
`;

describe('ts-patch adapter', () => {
  it('is the default export, a program transformer returning a before transformer', () => {
    const program = ts.createProgram(['x.ts'], {}, ts.createCompilerHost({}));
    const result = transformer(program, {}, { ts });
    expect(typeof result.before).toBe('function');
  });

  it('refuses a different TypeScript minor version with a clear message', () => {
    const program = ts.createProgram(['x.ts'], {}, ts.createCompilerHost({}));
    const other = { ...ts, version: '5.4.5', versionMajorMinor: '5.4' } as typeof ts;
    expect(() => transformer(program, {}, { ts: other })).toThrow(/built for TypeScript 5\.9 .* TypeScript 5\.4\.5/);
  });

  it('works as a plain before transformer without a program (ts-jest astTransformers, transpileModule)', () => {
    const out = ts.transpileModule(src, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      transformers: { before: [createBeforeTransformer()] },
    }).outputText;
    expect(out).toContain('import * as __tw$ from "@tracewright/runtime/inject";');
    expect(out).toContain('let __tw$c0 = __tw$.context();\n    __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "f", { name: PREFIX }, { a });');
  });

  it('fills template shapes parsed once per process with each site\'s own name, options and inputs', () => {
    const code = [
      '// @trace({ name: `n-${1}`, attributes: { f: (x: number) => x * 2, re: /a+/g, big: 10n, t: this, u: [, 1] } })',
      'export function one(a: number, [b, c]: number[]) { return a + b + c; }',
      '// @trace("TOOL")',
      'export const two = async (...rest: string[]) => rest.length;',
      '// @trace',
      'export function three() { return 3; }',
    ].join('\n');
    const emit = () =>
      ts.transpileModule(code, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        transformers: { before: [createBeforeTransformer()] },
      }).outputText;
    const first = emit();
    expect(first).toContain('let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "one", { name: `n-${1}`, attributes: { f: x => x * 2, re: /a+/g, big: 10n, t: this, u: [, 1] } }, { a, b, c });');
    expect(first).toContain('export const two = async (...rest) => {\n    let __tw$c1 = __tw$.context();\n    __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "two", "TOOL", { rest });');
    expect(first).toContain('let __tw$c2 = __tw$.context(); __tw$c2 = __tw$c2 === null ? undefined : __tw$.enterIn(__tw$c2, "three", undefined, {});');
    expect(emit()).toBe(first); // the second file is rendered from the cached shapes
  });

  it('binds the runtime with require in a script file emitted as CommonJS (TypeScript lowers only modules)', () => {
    const script = '// @trace\nfunction greet(name: string) { return name; }\nconsole.log(greet("a"));\n';
    const emit = (module: ts.ModuleKind, moduleDetection?: ts.ModuleDetectionKind) =>
      ts.transpileModule(script, { compilerOptions: { module, target: ts.ScriptTarget.ES2022, moduleDetection }, transformers: { before: [createBeforeTransformer()] } }).outputText;
    expect(emit(ts.ModuleKind.CommonJS)).toContain('const __tw$ = require("@tracewright/runtime/inject");');
    expect(emit(ts.ModuleKind.CommonJS)).not.toContain('import ');
    expect(emit(ts.ModuleKind.ESNext)).toContain('import * as __tw$ from "@tracewright/runtime/inject";');
    // Parsed as a module: TypeScript's own CommonJS transform lowers the import.
    expect(emit(ts.ModuleKind.CommonJS, ts.ModuleDetectionKind.Force)).toMatch(/const __tw\$ = __importStar\(require\("@tracewright\/runtime\/inject"\)\)|const __tw\$ = require\("@tracewright\/runtime\/inject"\)/);
  });

  it('reports diagnostics through the host callback', () => {
    const reported: ts.Diagnostic[] = [];
    ts.transpileModule('// @trace(BOGUS)\nfunction g() {}\n', {
      fileName: 'bad.ts',
      transformers: { before: [createBeforeTransformer({}, (d) => reported.push(d))] },
    });
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ code: 9001, category: ts.DiagnosticCategory.Error, start: 10 });
    expect(String(reported[0]!.messageText)).toMatch(/^tracewright: unknown span type "BOGUS"/);
  });
});
