// `@tracewright/transformer/node`: what the Node loader (loader/*.mjs) calls for each module it
// loads. Kept free of `import.meta` so it also compiles into the CommonJS build, which the
// loader `require`s synchronously from CommonJS extension handlers.
import { rewrite } from '../index.js';
import type { LoadedAs } from '../core/module-kind.js';
import { formatDiagnostic } from './diagnostics.js';
import { isCandidateFile } from './filter.js';

/** Source text + an inline map: Node (with source maps enabled) and tsx's esbuild read it. */
export function withInlineSourceMap(code: string, map: { toUrl(): string }): string {
  return `${code}\n//# sourceMappingURL=${map.toUrl()}\n`;
}

/**
 * The rewritten module source for `filename`, or `undefined` when the loader should pass the
 * original through untouched (not a candidate, no directives). Diagnostics go to stderr; an
 * error-severity diagnostic throws, so the import fails with a located message instead of
 * running code whose tracing silently differs from what the comments ask for. `loadedAs`: the
 * module system Node loads the file in (the hook that calls knows it).
 */
export function rewriteModuleSource(source: string, filename: string, loadedAs?: LoadedAs): string | undefined {
  if (!isCandidateFile(filename)) return undefined;
  const result = rewrite(source, filename, { loadedAs });
  if (result === null) return undefined;
  const errors: string[] = [];
  for (const diagnostic of result.diagnostics) {
    const line = formatDiagnostic(diagnostic);
    if (diagnostic.severity === 'error') errors.push(line);
    else process.emitWarning(line, { code: 'TRACEWRIGHT_DIRECTIVE' });
  }
  if (errors.length > 0) throw new SyntaxError(`tracewright could not rewrite ${filename}:\n${errors.join('\n')}`);
  return withInlineSourceMap(result.code, result.map);
}
