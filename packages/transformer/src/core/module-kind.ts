/**
 * Which import form generated code uses: by extension, then as the host loads the file when it
 * says so, then by the file's own syntax, and for a file whose syntax does not tell (no
 * import/export) by whether its text uses `require`/`exports`.
 */
import ts from 'typescript';

export type ModuleKind = 'esm' | 'cjs';

/** How the host (the Node loader) loads the file, when it knows: decides over guesses from the text. */
export type LoadedAs = 'module' | 'commonjs';

export function detectModuleKind(fileName: string, sf: ts.SourceFile, loadedAs?: LoadedAs): ModuleKind {
  if (/\.c[jt]s$/.test(fileName)) return 'cjs';
  if (/\.m[jt]s$/.test(fileName)) return 'esm';
  // An ES module may mention `module.exports` in a comment; a CommonJS script may have no
  // `require` at all. An import added to the latter made Node run it as an ES module (no
  // `module`, top-level `this` undefined, strict mode) or refuse it as the entry.
  if (loadedAs === 'module') return 'esm';
  const esm = sf.statements.some(
    (s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s) || (ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)),
  );
  // ES syntax under the CommonJS loader is TypeScript a transpiler (tsx) turns into CommonJS: an import is fine.
  if (esm) return 'esm';
  if (loadedAs === 'commonjs') return 'cjs';
  return /\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w/.test(sf.text) ? 'cjs' : 'esm';
}

export function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}
