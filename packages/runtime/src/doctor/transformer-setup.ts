/**
 * `// @trace` directives need a build step (@tracewright/transformer) to become spans; without
 * it they are plain comments and record nothing. Finds the directives, the step that should
 * rewrite them (ts-patch in tsconfig.json, a bundler plugin, the Node loader, the rewrite CLI),
 * and whether the built output actually contains the rewritten sites.
 */
import * as fs from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Findings } from './finding.js';
import { findInstalledPackage, lineOf, listFiles, readJsonc, readText, type ProjectSources } from './project-files.js';

const TRANSFORMER = '@tracewright/transformer';
/**
 * A comment that starts with the directive (the transformer's own grammar, core/directive.ts,
 * decides exactly; this only has to find the files that have one).
 */
const DIRECTIVE = /^[ \t]*(?:\/\/[ \t]*|\/?\*+[ \t]*)@trace(?=$|[\s(])/m;
const DIRECTIVE_ALL = new RegExp(DIRECTIVE.source, 'gm');
/** What rewritten code contains: the runtime namespace, the helper module, or (bundled) its failure site. */
const REWRITTEN = /__tw\$|@tracewright\/runtime\/inject|\/\/ @trace options \(/;
const CONFIG_FILE = /^(vite|vitest|webpack|rollup|rspack|esbuild|tsup|build)\.config\.[cm]?[jt]s$|^(build|esbuild|bundle)\.[cm]?[jt]s$/;
const OUTPUT_EXT = new Set(['.js', '.mjs', '.cjs']);

export interface DirectiveSite {
  file: string;
  line: number;
  count: number;
}

interface Setup {
  kind: 'ts-patch' | 'bundler' | 'loader' | 'rewrite-cli';
  where: string;
  tsconfig?: string;
}

export function findDirectives(project: ProjectSources): DirectiveSite[] {
  const sites: DirectiveSite[] = [];
  for (const [file, text] of project.texts()) {
    const matches = [...text.matchAll(DIRECTIVE_ALL)];
    if (matches.length) sites.push({ file, line: lineOf(text, matches[0]!.index!), count: matches.length });
  }
  return sites;
}

function findSetups(cwd: string, project: ProjectSources): Setup[] {
  const setups: Setup[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(cwd);
  } catch {
    // an unreadable directory has no setup to find
  }
  for (const name of entries) {
    if (/^tsconfig.*\.json$/.test(name)) {
      const plugins = readJsonc(join(cwd, name))?.compilerOptions?.plugins;
      if (Array.isArray(plugins) && plugins.some((p) => typeof p?.transform === 'string' && p.transform.startsWith(TRANSFORMER))) {
        setups.push({ kind: 'ts-patch', where: name, tsconfig: name });
      }
    } else if (CONFIG_FILE.test(name) && readText(join(cwd, name))?.includes(TRANSFORMER)) {
      setups.push({ kind: 'bundler', where: name });
    }
  }
  for (const [file, text] of project.texts()) {
    if (!CONFIG_FILE.test(basename(file)) && /@tracewright\/transformer\/(vite|rollup|esbuild|webpack)['"]/.test(text)) setups.push({ kind: 'bundler', where: file });
  }
  const scripts = project.packageJson?.scripts ?? {};
  for (const [name, command] of Object.entries(scripts)) {
    if (typeof command !== 'string') continue;
    if (command.includes(`${TRANSFORMER}/register`)) setups.push({ kind: 'loader', where: `package.json scripts.${name}` });
    if (/\btracewright-rewrite\b/.test(command)) setups.push({ kind: 'rewrite-cli', where: `package.json scripts.${name}` });
  }
  const nodeOptions = process.env.NODE_OPTIONS ?? '';
  if (nodeOptions.includes(`${TRANSFORMER}/register`)) setups.push({ kind: 'loader', where: 'NODE_OPTIONS' });
  return setups;
}

const FIX_MISSING =
  'add { "transform": "@tracewright/transformer" } to compilerOptions.plugins in tsconfig.json and build with tspc — or use the Vite/Rollup/esbuild/webpack plugin, or run with node --import @tracewright/transformer/register';

export function checkTransformer(cwd: string, project: ProjectSources, findings: Findings): void {
  const directives = findDirectives(project);
  if (directives.length === 0) return;
  const total = directives.reduce((n, d) => n + d.count, 0);
  const first = `${directives[0]!.file}:${directives[0]!.line}`;
  const setups = findSetups(cwd, project);
  if (setups.length === 0) {
    findings.error(
      'transformer.missing',
      `${total} // @trace directive(s) in ${directives.length} file(s), but no build step rewrites them (no transformer in tsconfig.json, bundler config or loader): they are plain comments and record nothing`,
      FIX_MISSING,
      first,
    );
    return;
  }
  findings.info('transformer.configured', `${total} // @trace directive(s) in ${directives.length} file(s), rewritten by ${setups.map((s) => `${s.kind} (${s.where})`).join(', ')}`, first);
  if (!findInstalledPackage(cwd, TRANSFORMER)) {
    findings.error('transformer.not-installed', `${TRANSFORMER} is configured (${setups[0]!.where}) but not installed`, `npm install -D ${TRANSFORMER}`, setups[0]!.where);
  }
  const tsPatch = setups.find((s) => s.kind === 'ts-patch');
  if (tsPatch && setups.every((s) => s.kind === 'ts-patch')) checkTsPatch(cwd, project, tsPatch, findings);
  if (tsPatch?.tsconfig) checkTscOutput(cwd, tsPatch.tsconfig, directives, findings);
  else checkBundleOutput(cwd, setups, findings);
}

function checkTsPatch(cwd: string, project: ProjectSources, setup: Setup, findings: Findings): void {
  if (!findInstalledPackage(cwd, 'ts-patch')) {
    findings.error('transformer.ts-patch-missing', `${setup.where} loads ${TRANSFORMER} as a transformer plugin, but ts-patch is not installed: tsc ignores "plugins"`, 'npm install -D ts-patch and build with tspc', setup.where);
    return;
  }
  const scripts = Object.values(project.packageJson?.scripts ?? {}).filter((c): c is string => typeof c === 'string');
  const usesTspc = scripts.some((c) => /\btspc\b/.test(c));
  const ts = findInstalledPackage(cwd, 'typescript');
  const patched = ts ? (readText(join(ts.dir, 'lib', 'typescript.js'), 64 * 1024 * 1024)?.startsWith('/// tsp-module:') ?? false) : false;
  if (!usesTspc && !patched) {
    const tscScript = Object.entries(project.packageJson?.scripts ?? {}).find(([, c]) => typeof c === 'string' && /\btsc\b/.test(c));
    findings.error(
      'transformer.tsc-unpatched',
      `${setup.where} configures ${TRANSFORMER}, but the build runs plain tsc${tscScript ? ` (scripts.${tscScript[0]})` : ''} and TypeScript is not patched: the plugin is ignored`,
      'build with tspc instead of tsc (or run npx ts-patch install once)',
      tscScript ? `package.json scripts.${tscScript[0]}` : setup.where,
    );
  }
}

/** Where tsc writes `file`, from tsconfig's outDir/rootDir (next to the source without an outDir; undefined for a .js source there). */
function tscOutputOf(cwd: string, options: Record<string, any>, sourceFiles: string[], file: string): string | undefined {
  if (typeof options.outDir !== 'string') return /\.[cm]?tsx?$/.test(file) ? resolve(cwd, file).replace(/\.([cm]?)tsx?$/, '.$1js') : undefined;
  const rootDir = typeof options.rootDir === 'string' ? resolve(cwd, options.rootDir) : commonDir(sourceFiles.map((f) => resolve(cwd, f)));
  const rel = relative(rootDir, resolve(cwd, file));
  return join(resolve(cwd, options.outDir), rel).replace(/\.([cm]?)tsx?$/, '.$1js').replace(/\.jsx$/, '.js');
}

function commonDir(files: string[]): string {
  let dir = dirname(files[0]!);
  while (!files.every((f) => f.startsWith(dir + '/') || f.startsWith(dir + '\\')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function checkTscOutput(cwd: string, tsconfig: string, directives: DirectiveSite[], findings: Findings): void {
  const options = readJsonc(join(cwd, tsconfig))?.compilerOptions ?? {};
  let built = 0;
  for (const site of directives) {
    const out = tscOutputOf(cwd, options, directives.map((d) => d.file), site.file);
    if (!out) continue;
    const text = readText(out);
    if (text === undefined) continue;
    built++;
    if (!REWRITTEN.test(text)) {
      findings.error(
        'transformer.stale-build',
        `${relative(cwd, out)} has no rewritten // @trace site although ${site.file} has ${site.count} directive(s): it was built without the transformer or before the directives were added`,
        `rebuild: npx tspc -p ${tsconfig}`,
        `${site.file}:${site.line}`,
      );
    } else if (isOlder(out, resolve(cwd, site.file))) {
      findings.warning('transformer.old-build', `${relative(cwd, out)} is older than ${site.file}: the running code may not match the sources`, `rebuild: npx tspc -p ${tsconfig}`, site.file);
    }
  }
  if (built === 0) findings.info('transformer.not-built', `no built output${typeof options.outDir === 'string' ? ` in ${options.outDir}` : ''} yet`, tsconfig);
}

function isOlder(a: string, b: string): boolean {
  try {
    return fs.statSync(a).mtimeMs + 1000 < fs.statSync(b).mtimeMs;
  } catch {
    return false;
  }
}

function checkBundleOutput(cwd: string, setups: Setup[], findings: Findings): void {
  if (!setups.some((s) => s.kind === 'bundler')) return; // the loader rewrites at run time: nothing built to check
  for (const dir of ['dist', 'build', 'out']) {
    const files = listFiles(join(cwd, dir), OUTPUT_EXT, 2_000);
    if (files.length === 0) continue;
    if (!files.some((f) => REWRITTEN.test(readText(f) ?? ''))) {
      findings.error(
        'transformer.stale-build',
        `${dir}/ holds ${files.length} built file(s) but none contains a rewritten // @trace site: the bundle was built without the tracewright plugin, or before the directives were added`,
        `rebuild with the plugin from ${TRANSFORMER} in ${setups.find((s) => s.kind === 'bundler')!.where}`,
        dir,
      );
    }
  }
}
