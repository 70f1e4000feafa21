import type { TraceDiagnostic } from '../index.js';

/** `file:line:column: message`, the shape editors and terminals turn into a link. */
export function formatDiagnostic(diagnostic: TraceDiagnostic): string {
  return `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.message}`;
}

export function hasErrors(diagnostics: readonly TraceDiagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
