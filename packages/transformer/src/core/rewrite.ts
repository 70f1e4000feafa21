/**
 * The text path end to end: pre-filter, parse with our pinned TypeScript, analyze, emit.
 * Shared by every adapter that works on source text (bundler plugin, loader, CLI).
 */
import ts from 'typescript';
import type { SourceMap } from 'magic-string';
import { analyze } from './analyze.js';
import { mayContainDirectives } from './directive.js';
import { emitText } from './emit-text.js';
import { detectModuleKind, scriptKind, type LoadedAs } from './module-kind.js';
import { RUNTIME } from './templates.js';
import { hasStringLiteral, identifierWithPrefix } from './tokens.js';
import type { Analysis, Located } from './plan.js';

export const DEFAULT_RUNTIME_MODULE = '@tracewright/runtime/inject';

export interface TraceDiagnostic {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface RewriteOptions {
  /** 'esm' | 'cjs' | 'auto' (by extension, then by the file's syntax). Default 'auto'. */
  moduleKind?: 'esm' | 'cjs' | 'auto';
  /**
   * With `moduleKind` 'auto': how the host loads the file, when it knows ('module' or
   * 'commonjs', as Node's loader hooks say). Decides for a file whose syntax does not tell.
   */
  loadedAs?: LoadedAs;
  /** Module generated code imports the runtime helpers from. Default '@tracewright/runtime/inject'. */
  runtimeModule?: string;
}

export interface RewriteResult {
  code: string;
  map: SourceMap;
  diagnostics: TraceDiagnostic[];
}

/**
 * Without parent pointers (the analyzer sets them on the few subtrees it enters) and without
 * JSDoc nodes (directives are read from comment text): both cost a third of the parse.
 */
export function parse(code: string, fileName: string): ts.SourceFile {
  return ts.createSourceFile(fileName, code, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, scriptKind(fileName));
}

/**
 * Analyzes a parsed file, adding the name-conflict check. Returns undefined when the file is
 * already rewritten (it imports the runtime module), so applying the rewrite twice is a no-op.
 */
export function analyzeFile(sf: ts.SourceFile, runtimeModule: string): Analysis | undefined {
  // Only real code counts: a comment or string that mentions the prefix or the module is prose.
  const reserved = sf.text.includes(RUNTIME) ? identifierWithPrefix(sf, RUNTIME) : -1;
  if (reserved !== -1 && hasStringLiteral(sf, runtimeModule)) return undefined;
  const analysis = analyze(sf);
  analysis.diagnostics.sort((a, b) => a.start - b.start);
  const clash = analysis.needsRuntime ? reserved : -1;
  if (clash !== -1) {
    analysis.diagnostics.push({ start: clash, length: RUNTIME.length, severity: 'error', message: `this file already uses the identifier prefix ${RUNTIME}, which tracewright reserves for generated code; rename it` });
    analysis.plans.length = 0;
    analysis.needsRuntime = false;
  }
  return analysis;
}

export function toTraceDiagnostic(sf: ts.SourceFile, d: Located): TraceDiagnostic {
  const { line, character } = sf.getLineAndCharacterOfPosition(d.start);
  return { file: sf.fileName, line: line + 1, column: character + 1, message: d.message, severity: d.severity };
}

export function rewrite(code: string, fileName: string, options: RewriteOptions = {}): RewriteResult | null {
  if (!mayContainDirectives(code)) return null;
  const runtimeModule = options.runtimeModule ?? DEFAULT_RUNTIME_MODULE;
  const sf = parse(code, fileName);
  const analysis = analyzeFile(sf, runtimeModule);
  if (!analysis || (analysis.plans.length === 0 && analysis.diagnostics.length === 0)) return null;
  const kind = !options.moduleKind || options.moduleKind === 'auto' ? detectModuleKind(fileName, sf, options.loadedAs) : options.moduleKind;
  const { code: out, map } = emitText(sf, analysis, kind, runtimeModule);
  return { code: out, map, diagnostics: analysis.diagnostics.map((d) => toTraceDiagnostic(sf, d)) };
}
