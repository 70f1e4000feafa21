// Rewrites a source tree into an output tree, for pipelines with no plugin hook (TypeScript 7's
// native tsc, swc/Babel CLIs, anything): rewrite first, then compile the output tree as usual.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { rewrite, type RewriteOptions, type TraceDiagnostic } from '../index.js';
import { isCandidateFile, type FileFilterOptions } from './filter.js';
import { traceSites, type TraceSite } from './sites.js';

export interface RewriteTreeOptions extends FileFilterOptions, RewriteOptions {
  srcDir: string;
  /** Omit to only analyse (nothing is written). */
  outDir?: string;
  /** Also list every traced site per file (`--check`). */
  listSites?: boolean;
}

export interface TreeFileReport {
  /** Path relative to srcDir, with forward slashes. */
  path: string;
  rewritten: boolean;
  diagnostics: TraceDiagnostic[];
  sites: TraceSite[];
}

export interface RewriteTreeReport {
  files: TreeFileReport[];
  rewritten: number;
  copied: number;
}

const SKIPPED_DIRS = new Set(['node_modules', '.git']);

function* walk(dir: string, skip: string | undefined): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && path !== skip) yield* walk(path, skip);
    } else if (entry.isFile()) {
      yield path;
    }
  }
}

export function rewriteTree(options: RewriteTreeOptions): RewriteTreeReport {
  const { srcDir: src, outDir: out, include, exclude, listSites, ...rewriteOptions } = options;
  const srcDir = resolve(src);
  const outDir = out === undefined ? undefined : resolve(out);
  if (outDir === srcDir) throw new Error(`tracewright-rewrite: outDir must differ from srcDir (${srcDir})`);
  const report: RewriteTreeReport = { files: [], rewritten: 0, copied: 0 };
  for (const file of walk(srcDir, outDir)) {
    const path = relative(srcDir, file).split(sep).join('/');
    const target = outDir === undefined ? undefined : join(outDir, path);
    const candidate = isCandidateFile(file, { include, exclude });
    const code = candidate ? readFileSync(file, 'utf8') : '';
    const result = candidate ? rewrite(code, file, rewriteOptions) : null;
    const failed = result?.diagnostics.some((d) => d.severity === 'error') ?? false;
    const sites = listSites && result !== null ? traceSites(code, file, rewriteOptions.runtimeModule) : [];
    report.files.push({ path, rewritten: result !== null && !failed, diagnostics: result?.diagnostics ?? [], sites });
    if (target === undefined) continue;
    mkdirSync(dirname(target), { recursive: true });
    if (result === null || failed) {
      copyFileSync(file, target);
      report.copied++;
      continue;
    }
    // The map lives next to the output and points back at the original file.
    const map = result.map;
    map.file = basename(target);
    map.sources = [relative(dirname(target), file).split(sep).join('/')];
    writeFileSync(target, `${result.code}\n//# sourceMappingURL=${basename(target)}.map\n`);
    writeFileSync(`${target}.map`, map.toString());
    report.rewritten++;
  }
  return report;
}
