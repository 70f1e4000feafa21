// Which files the adapters hand to the core. The core decides everything about directives;
// this only keeps bundlers and loaders from calling it on files it can never change.

/** Script files the rewriter understands (an optional `?query` from bundlers is allowed). */
export const SCRIPT_ID = /\.[cm]?[jt]sx?(?:$|\?)/;

/** Dependencies are compiled by their authors; we never rewrite them. */
export const DEPENDENCY_ID = /[\\/]node_modules[\\/]/;

export { DIRECTIVE_HINT } from '../core/directive.js';

/** Bundler ids may carry `?query` or `#hash` suffixes (Vite: `?v=123`, `?worker`). */
export function fileOfId(id: string): string {
  const cut = id.search(/[?#]/);
  return cut === -1 ? id : id.slice(0, cut);
}

export interface FileFilterOptions {
  /** Patterns a file must match; replaces the default (every .ts/.tsx/.mts/.cts/.js/.jsx/.mjs/.cjs file). */
  include?: RegExp | RegExp[];
  /** Patterns that exclude a file; replaces the default (anything under node_modules). */
  exclude?: RegExp | RegExp[];
}

const list = (patterns: RegExp | RegExp[] | undefined, fallback: RegExp[]): RegExp[] =>
  patterns === undefined ? fallback : Array.isArray(patterns) ? patterns : [patterns];

/** The id filter shared by every adapter: `{ include, exclude }` as unplugin hook filters take it. */
export function idFilter(options: FileFilterOptions = {}): { include: RegExp[]; exclude: RegExp[] } {
  return { include: list(options.include, [SCRIPT_ID]), exclude: list(options.exclude, [DEPENDENCY_ID]) };
}

/** The same decision as {@link idFilter}, for adapters that are not driven by a bundler. */
export function isCandidateFile(path: string, options: FileFilterOptions = {}): boolean {
  const { include, exclude } = idFilter(options);
  const test = (re: RegExp) => {
    re.lastIndex = 0;
    return re.test(path);
  };
  return include.some(test) && !exclude.some(test);
}
