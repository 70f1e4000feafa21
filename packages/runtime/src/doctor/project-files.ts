/**
 * Reading a project from the outside: its package.json, tsconfig (JSON with comments), source
 * files and installed packages. Every walk is bounded; unreadable files are skipped.
 */
import * as fs from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';

/** Directories that hold outputs, dependencies or traces, never the project's own sources. */
const NOT_SOURCES = new Set(['node_modules', 'dist', 'build', 'out', 'lib', 'coverage', 'mlruns']);
/** Tests and fixtures set up (and break) tracing on purpose: the doctor looks at the application. */
const TEST_DIRS = new Set(['__tests__', 'test', 'tests', 'test-fixtures', 'fixtures']);
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
const SOURCE_EXT = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);
const MAX_FILES = 5_000;
const MAX_FILE_BYTES = 2_000_000;

export function readText(path: string, maxBytes = MAX_FILE_BYTES): string | undefined {
  try {
    const stat = fs.statSync(path);
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** JSON with comments and trailing commas (tsconfig.json); undefined when unreadable. */
export function readJsonc(path: string): Record<string, any> | undefined {
  const text = readText(path);
  if (text === undefined) return undefined;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else {
      out += c;
    }
  }
  try {
    const value = JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function readPackageJson(dir: string): Record<string, any> | undefined {
  return readJsonc(join(dir, 'package.json'));
}

/** The entries of `dir`, or none when it cannot be read. */
export function readDirents(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Files under `dir` (absolute paths) that `accept` takes, not entering directories `enter` refuses; at most `limit`. */
function walkFiles(dir: string, enter: (name: string) => boolean, accept: (name: string) => boolean, limit: number): string[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readDirents(d)) {
      if (files.length >= limit) return;
      const full = join(d, entry.name);
      if (entry.isDirectory()) {
        if (enter(entry.name)) walk(full);
      } else if (entry.isFile() && accept(entry.name)) files.push(full);
    }
  };
  walk(dir);
  return files;
}

/** The project's own source files (relative paths), skipping outputs, dependencies, tests and hidden directories. */
export function listSourceFiles(root: string): string[] {
  const enter = (name: string) => !name.startsWith('.') && !NOT_SOURCES.has(name) && !TEST_DIRS.has(name);
  const accept = (name: string) => SOURCE_EXT.has(extname(name)) && !name.endsWith('.d.ts') && !TEST_FILE.test(name);
  return walkFiles(root, enter, accept, MAX_FILES)
    .map((f) => relative(root, f))
    .sort();
}

/** Every file under `dir` with one of `exts` (bounded), absolute paths. */
export function listFiles(dir: string, exts: ReadonlySet<string>, limit = MAX_FILES): string[] {
  return walkFiles(dir, (name) => name !== 'node_modules', (name) => exts.has(extname(name)), limit);
}

/** `node_modules/<name>` as Node resolves it from `dir` (walking up), or undefined. */
export function findInstalledPackage(dir: string, name: string): { dir: string; version: string | undefined } | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name);
    const pkg = readPackageJson(candidate);
    if (pkg) return { dir: candidate, version: typeof pkg.version === 'string' ? pkg.version : undefined };
    if (dirname(d) === d) return undefined;
  }
}

/** 1-based line of `offset` in `text`. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The project's package.json and source texts, read once and shared by the checks. */
export class ProjectSources {
  readonly packageJson: Record<string, any> | undefined;
  private cache: Array<[string, string]> | undefined;

  constructor(readonly root: string) {
    this.packageJson = readPackageJson(root);
  }

  /** [relative path, text] of every readable source file. */
  texts(): ReadonlyArray<[string, string]> {
    if (!this.cache) {
      this.cache = [];
      for (const file of listSourceFiles(this.root)) {
        const text = readText(join(this.root, file));
        if (text !== undefined) this.cache.push([file, text]);
      }
    }
    return this.cache;
  }

  /** First match of `pattern` (with the g flag off) in the sources, as "file:line". */
  find(pattern: RegExp): { file: string; line: number; match: RegExpExecArray } | undefined {
    for (const [file, text] of this.texts()) {
      const match = pattern.exec(text);
      if (match) return { file, line: lineOf(text, match.index), match };
    }
    return undefined;
  }
}
