import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

let counter = 0;

/**
 * Compiles a TypeScript snippet with the real compiler (so decorator and `using` semantics are
 * TypeScript's own, not the test runner's) and imports it. Files go under the repo so that
 * '@tracewright/runtime' resolves to this workspace.
 */
export async function importCompiled(source: string, compilerOptions: ts.CompilerOptions = {}): Promise<any> {
  const out = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, ...compilerOptions },
    reportDiagnostics: true,
  });
  if (out.diagnostics?.length) throw new Error(ts.formatDiagnostics(out.diagnostics, ts.createCompilerHost({})));
  const dir = resolve(__dirname, '../../../../../.tmp/compiled');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `snippet-${process.pid}-${counter++}.mjs`);
  writeFileSync(file, out.outputText);
  return import(pathToFileURL(file).href);
}
