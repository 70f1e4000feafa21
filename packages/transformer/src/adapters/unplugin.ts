// One plugin for Vite (and so Vitest), Rollup, esbuild and webpack: unplugin translates the
// Rollup-style hook below into each bundler's mechanism.
import { createUnplugin, type UnpluginInstance } from 'unplugin';
import { rewrite, type RewriteOptions } from '../index.js';
import { formatDiagnostic } from './diagnostics.js';
import { DIRECTIVE_HINT, SCRIPT_ID, fileOfId, idFilter, type FileFilterOptions } from './filter.js';

export interface TracewrightPluginOptions extends FileFilterOptions, RewriteOptions {}

export const tracewrightUnplugin: UnpluginInstance<TracewrightPluginOptions | undefined, false> = createUnplugin(
  (options: TracewrightPluginOptions | undefined) => {
    const { include, exclude, ...rewriteOptions } = options ?? {};
    return {
      name: 'tracewright',
      // Before any transpiler: esbuild, Oxc, SWC and ts-loader all drop `// @trace` comments.
      enforce: 'pre',
      // esbuild has no transform hook; unplugin emulates it in onLoad, which reads the file.
      // Only script files are worth reading.
      esbuild: { onLoadFilter: SCRIPT_ID },
      transform: {
        filter: { id: idFilter({ include, exclude }), code: DIRECTIVE_HINT },
        handler(code, id) {
          const result = rewrite(code, fileOfId(id), rewriteOptions);
          if (result === null) return undefined;
          const errors = result.diagnostics.filter((d) => d.severity === 'error');
          for (const warning of result.diagnostics) if (warning.severity === 'warning') this.warn(formatDiagnostic(warning));
          if (errors.length > 0) {
            // One message with every located error (Rollup's and Vite's `error` throw on the
            // first call). esbuild's and webpack's collect instead, hence the explicit return:
            // the file must not be emitted half-rewritten.
            this.error(`tracewright: cannot apply // @trace in ${fileOfId(id)}\n${errors.map(formatDiagnostic).join('\n')}`);
            return undefined;
          }
          return { code: result.code, map: result.map };
        },
      },
    };
  },
);
