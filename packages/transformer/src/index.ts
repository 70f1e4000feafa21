/**
 * @tracewright/transformer: compiles `// @trace` directives (and build-time parameter names
 * for `@Trace`) into calls to `@tracewright/runtime/inject`.
 *
 * - `rewrite(code, fileName)`: the text path (magic-string), for bundlers, loaders and TS 7.
 * - default export: the ts-patch program transformer (`"transform": "@tracewright/transformer"`).
 */
export { rewrite, DEFAULT_RUNTIME_MODULE } from './core/rewrite.js';
export type { RewriteOptions, RewriteResult, TraceDiagnostic } from './core/rewrite.js';
export type { LoadedAs } from './core/module-kind.js';
export { mayContainDirectives } from './core/directive.js';
export { tracewrightTransformer, createBeforeTransformer } from './tspatch.js';
export type { TransformerConfig } from './tspatch.js';
import { tracewrightTransformer } from './tspatch.js';
export default tracewrightTransformer;
