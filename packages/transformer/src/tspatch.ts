/**
 * ts-patch adapter: `"plugins": [{ "transform": "@tracewright/transformer" }]` in tsconfig.json,
 * compiled with `tspc` (or after `ts-patch install`). A `program` transformer that returns a
 * `before` transformer: it runs after type checking, on the original tree, and reports
 * directives it cannot honour as compiler diagnostics (file:line).
 */
import ts from 'typescript';
import { analyzeFile, DEFAULT_RUNTIME_MODULE } from './core/rewrite.js';
import { mayContainDirectives } from './core/directive.js';
import { createFactoryTransformer, type NameResolver } from './core/emit-factory.js';

export interface TransformerConfig {
  /** Module generated code imports the runtime helpers from. */
  runtimeModule?: string;
}

/** Diagnostic code of tracewright transformer messages ("TW9001" in spirit). */
export const DIAGNOSTIC_CODE = 9001;

interface ProgramTransformerExtras {
  ts?: typeof ts;
  addDiagnostic?: (diag: ts.Diagnostic) => number;
}

/** The `before` transformer factory on its own (ts-jest astTransformers, custom compilers). */
export function createBeforeTransformer(config: TransformerConfig = {}, addDiagnostic?: (d: ts.Diagnostic) => void, program?: ts.Program): ts.TransformerFactory<ts.SourceFile> {
  const runtimeModule = config.runtimeModule ?? DEFAULT_RUNTIME_MODULE;
  const seen = new Set<string>();
  return (context) => (sf) => {
    if (!mayContainDirectives(sf.text)) return sf;
    const original = ts.getOriginalNode(sf, ts.isSourceFile) ?? sf;
    const analysis = analyzeFile(original, runtimeModule);
    if (!analysis) return sf;
    if (addDiagnostic && !seen.has(original.fileName)) {
      seen.add(original.fileName); // emit may run the transformer twice per file (e.g. watch)
      for (const d of analysis.diagnostics) {
        addDiagnostic({
          file: original,
          start: d.start,
          length: d.length,
          messageText: `tracewright: ${d.message}`,
          category: d.severity === 'error' ? ts.DiagnosticCategory.Error : ts.DiagnosticCategory.Warning,
          code: DIAGNOSTIC_CODE,
        });
      }
    }
    if (analysis.plans.length === 0) return sf;
    return createFactoryTransformer(analysis, runtimeModule, resolver(program))(context)(sf);
  };
}

/**
 * With a program, directive arguments that name imports or exports keep working in CommonJS
 * output (TypeScript rewrites those references only for nodes the checker can resolve).
 */
function resolver(program: ts.Program | undefined): NameResolver | undefined {
  if (!program) return undefined;
  const checker = program.getTypeChecker();
  return (name, location) => checker.resolveName(name, location, ts.SymbolFlags.Value | ts.SymbolFlags.Alias, false);
}

/** ts-patch `program` transformer entry (the package's default export). */
export function tracewrightTransformer(program: ts.Program, config: TransformerConfig = {}, extras: ProgramTransformerExtras = {}): { before: ts.TransformerFactory<ts.SourceFile> } {
  const host = extras.ts;
  if (host && host.versionMajorMinor !== ts.versionMajorMinor) {
    throw new Error(
      `@tracewright/transformer is built for TypeScript ${ts.versionMajorMinor} (the version ts-patch 3.3 supports on Node 20) but this project compiles with TypeScript ${host.version}. Install typescript@${ts.versionMajorMinor}, or use the text rewriter (bundler plugin / loader / CLI).`,
    );
  }
  return { before: createBeforeTransformer(config, extras.addDiagnostic, program) };
}
