/** Which import form generated code uses: by extension, then by the file's own syntax. */
import ts from 'typescript';

export type ModuleKind = 'esm' | 'cjs';

export function detectModuleKind(fileName: string, sf: ts.SourceFile): ModuleKind {
  if (/\.c[jt]s$/.test(fileName)) return 'cjs';
  if (/\.m[jt]s$/.test(fileName)) return 'esm';
  const esm = sf.statements.some(
    (s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s) || (ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)),
  );
  if (esm) return 'esm';
  return /\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w/.test(sf.text) ? 'cjs' : 'esm';
}

export function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}
