/**
 * More than one @tracewright/runtime: installed twice (another version nested under a
 * dependency), loaded twice into this process, or inlined twice into one bundle. Copies share
 * their state through a registered global symbol, but different versions may not agree on it
 * (spans then do not nest across them), and two bundled copies double the code shipped.
 */
import * as fs from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { loadedCopies } from '../core/loaded-copies.js';
import type { Findings } from './finding.js';
import { listFiles, readDirents, readPackageJson, readText } from './project-files.js';

const NAME = '@tracewright/runtime';
/** A string every copy of the runtime contains once (the state's global symbol key). */
const COPY_MARKER = ['tracewright', 'runtime', 'state'].join('.'); // built, so this file is not a match itself
const MAX_DIRS = 20_000;

interface Installed {
  dir: string;
  version: string;
}

/** Every node_modules/@tracewright/runtime under `cwd` (nested ones too) and above it. */
function installedCopies(cwd: string): Installed[] {
  const found = new Map<string, Installed>();
  const add = (dir: string): void => {
    const pkg = readPackageJson(dir);
    if (pkg?.name !== NAME) return;
    let real = dir;
    try {
      real = fs.realpathSync(dir);
    } catch {
      // keep the path as found
    }
    if (!found.has(real)) found.set(real, { dir, version: String(pkg.version ?? 'unknown') });
  };
  let visited = 0;
  const walk = (nodeModules: string, depth: number): void => {
    if (depth > 6 || ++visited > MAX_DIRS) return;
    for (const entry of readDirents(nodeModules)) {
      if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
      const full = join(nodeModules, entry.name);
      const packages = entry.name.startsWith('@') ? readDirents(full).map((e) => join(full, e.name)) : [full];
      for (const pkgDir of packages) {
        if (pkgDir.endsWith(join('@tracewright', 'runtime'))) add(pkgDir);
        // Nested installs live in real directories; symlinked workspaces are visited where they are linked.
        if (!isSymlink(pkgDir)) walk(join(pkgDir, 'node_modules'), depth + 1);
      }
    }
  };
  walk(join(cwd, 'node_modules'), 0);
  for (let d = dirname(cwd); dirname(d) !== d; d = dirname(d)) add(join(d, 'node_modules', '@tracewright', 'runtime'));
  return [...found.values()];
}

function isSymlink(path: string): boolean {
  try {
    return fs.lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function checkInstalledCopies(cwd: string, findings: Findings): void {
  const copies = installedCopies(cwd);
  if (copies.length < 2) return;
  const versions = new Set(copies.map((c) => c.version));
  const list = copies.map((c) => `${c.version} at ${relative(cwd, c.dir) || '.'}`).join(', ');
  findings.warning(
    'runtime.installed-twice',
    `${copies.length} copies of ${NAME} are installed (${list})${versions.size > 1 ? ': different versions may not share spans, so traces can come out split' : ''}`,
    `depend on one version of ${NAME} everywhere (same range in every package.json), then npm dedupe`,
    copies[1]!.dir,
  );
}

/** The package directory of a loaded copy, or the bundle file that inlined it. */
function copyRoot(file: string): { root: string; version: string | undefined } {
  for (let d = dirname(file); dirname(d) !== d; d = dirname(d)) {
    const pkg = readPackageJson(d);
    if (pkg?.name === NAME) return { root: d, version: pkg.version };
    if (pkg) break; // another package's directory: the runtime was bundled into it
  }
  return { root: file, version: undefined };
}

export function checkLoadedCopies(findings: Findings): void {
  const roots = new Map<string, { version: string | undefined; stateVersions: Set<number> }>();
  for (const copy of loadedCopies()) {
    const { root, version } = copy.file ? copyRoot(copy.file) : { root: '(unknown location)', version: undefined };
    const entry = roots.get(root) ?? { version, stateVersions: new Set<number>() };
    entry.stateVersions.add(copy.stateVersion);
    roots.set(root, entry);
  }
  if (roots.size < 2) return;
  const stateVersions = new Set([...roots.values()].flatMap((r) => [...r.stateVersions]));
  const list = [...roots].map(([root, r]) => `${r.version ?? 'bundled'} at ${root}`).join(', ');
  const severity = stateVersions.size > 1 ? 'error' : 'warning';
  findings.add({
    id: 'runtime.loaded-twice',
    severity,
    message: `${roots.size} copies of ${NAME} are loaded in this process (${list})${
      stateVersions.size > 1 ? ': they keep separate tracing state, so spans do not nest across them and configuration applies to one only' : ''
    }`,
    fix: `make the app and its dependencies import one ${NAME} (npm dedupe; mark it external in the bundler config)`,
    site: [...roots.keys()][1],
  });
}

export function checkBundledCopies(cwd: string, findings: Findings): void {
  for (const dir of ['dist', 'build', 'out', '.next']) {
    for (const file of listFiles(join(cwd, dir), new Set(['.js', '.mjs', '.cjs']), 2_000)) {
      const text = readText(file, 64 * 1024 * 1024);
      if (!text) continue;
      const first = text.indexOf(COPY_MARKER);
      if (first === -1 || text.indexOf(COPY_MARKER, first + COPY_MARKER.length) === -1) continue;
      findings.warning(
        'runtime.bundled-twice',
        `${relative(cwd, file)} contains more than one copy of ${NAME}: each bundles its own code, and two versions may not share spans`,
        `make one version of ${NAME} resolve for every import (npm dedupe), or mark it external in the bundler config`,
        relative(cwd, file),
      );
    }
  }
}
