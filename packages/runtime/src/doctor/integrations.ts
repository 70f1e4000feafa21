/**
 * The LLM SDKs tracewright instruments: which are installed and at which versions (inside the
 * tested range?), whether the sources that use one also turn on its autolog, whether that
 * autolog() is awaited, and — in the running process — whether autolog() ran, has finished,
 * and patched the same copy of the SDK the application loads.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { findAutologRecord } from '../autolog/common/autolog-record.js';
import { notAwaitedAdvice } from '../autolog/common/autolog-order.js';
import type { Findings } from './finding.js';
import { findInstalledPackage, lineOf, type ProjectSources } from './project-files.js';

interface Sdk {
  name: string;
  /** Import specifiers that mean "uses this SDK". */
  imports: RegExp;
  /** The autolog integration (patch-registry name) and its subpath. */
  integration: string;
  subpath: string;
  /** Versions the integration is tested with: [lowest, first untested major). */
  tested: [string, string];
}

export const SDKS: readonly Sdk[] = [
  { name: 'openai', imports: /^openai(\/|$)/, integration: 'openai', subpath: '@tracewright/runtime/openai', tested: ['4.0.0', '7.0.0'] },
  { name: '@anthropic-ai/sdk', imports: /^@anthropic-ai\/sdk(\/|$)/, integration: 'anthropic', subpath: '@tracewright/runtime/anthropic', tested: ['0.30.0', '2.0.0'] },
  { name: '@langchain/core', imports: /^(@langchain\/|langchain(\/|$))/, integration: 'langchain', subpath: '@tracewright/runtime/langchain', tested: ['0.3.0', '2.0.0'] },
  { name: '@google/genai', imports: /^@google\/genai(\/|$)/, integration: 'google-genai', subpath: '@tracewright/runtime/google-genai', tested: ['2.32.0', '4.0.0'] },
  { name: '@aws-sdk/client-bedrock-runtime', imports: /^@aws-sdk\/client-bedrock-runtime(\/|$)/, integration: 'bedrock', subpath: '@tracewright/runtime/bedrock', tested: ['3.1178.0', '4.0.0'] },
  { name: '@mistralai/mistralai', imports: /^@mistralai\/mistralai(\/|$)/, integration: 'mistral', subpath: '@tracewright/runtime/mistral', tested: ['2.7.0', '3.0.0'] },
  { name: 'ollama', imports: /^ollama(\/|$)/, integration: 'ollama', subpath: '@tracewright/runtime/ollama', tested: ['0.6.4', '0.7.0'] },
  { name: 'cohere-ai', imports: /^cohere-ai(\/|$)/, integration: 'cohere', subpath: '@tracewright/runtime/cohere', tested: ['8.1.0', '9.0.0'] },
  { name: '@llamaindex/core', imports: /^(@llamaindex\/|llamaindex(\/|$))/, integration: 'llamaindex:@llamaindex/core/retriever', subpath: '@tracewright/runtime/llamaindex', tested: ['0.6.23', '0.7.0'] },
  { name: '@mastra/core', imports: /^@mastra\/core(\/|$)/, integration: 'mastra:agent', subpath: '@tracewright/runtime/mastra', tested: ['0.24.9', '2.0.0'] },
  { name: '@ax-llm/ax', imports: /^@ax-llm\/ax(\/|$)/, integration: 'ax', subpath: '@tracewright/runtime/ax', tested: ['24.0.21', '25.0.0'] },
];

/** group 1: a static import (evaluated before the module body runs); group 2: import() / require(). */
const IMPORT = /(?:\bfrom\s*|^\s*import\s+)['"]([^'"]+)['"]|(?:\bimport\s*\(\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/gm;

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).slice(0, 3).map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split(/[.+-]/).slice(0, 3).map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
}

/** Static: installed versions, and sources that use an SDK without its autolog. */
export function checkIntegrationsInProject(cwd: string, project: ProjectSources, findings: Findings): void {
  for (const sdk of SDKS) {
    const installed = findInstalledPackage(cwd, sdk.name);
    const uses: string[] = [];
    let staticUse: string | undefined;
    const autologFiles: Array<[string, string]> = [];
    for (const [file, text] of project.texts()) {
      let importsSubpath = false;
      for (const m of text.matchAll(IMPORT)) {
        const specifier = m[1] ?? m[2]!;
        if (sdk.imports.test(specifier)) {
          uses.push(`${file}:${lineOf(text, m.index!)}`);
          if (m[1] !== undefined) staticUse ??= uses[uses.length - 1];
        }
        if (specifier === sdk.subpath) importsSubpath = true;
      }
      if (importsSubpath) autologFiles.push([file, text]);
    }
    const autologged = autologFiles.length > 0;
    // Loaded after a plain autolog() (import() / require), the SDK is patched in time; imported
    // statically, it is loaded first and its ES module copy is patched a moment too late.
    if (staticUse) for (const [file, text] of autologFiles) checkAwaited(file, text, sdk, staticUse, findings);
    const deps = { ...project.packageJson?.dependencies, ...project.packageJson?.devDependencies, ...project.packageJson?.peerDependencies };
    if (!installed || (uses.length === 0 && !(sdk.name in deps))) continue;
    const version = installed.version ?? 'unknown';
    const [low, high] = sdk.tested;
    if (installed.version && (compareVersions(installed.version, low) < 0 || compareVersions(installed.version, high) >= 0)) {
      findings.warning(
        'integration.untested-version',
        `${sdk.name}@${version} is outside the range ${sdk.subpath} is tested with (>=${low} <${high}): some calls may not be traced`,
        `install ${sdk.name}@">=${low} <${high}"`,
        installed.dir,
      );
    } else {
      findings.info('integration.installed', `${sdk.name}@${version} installed (tested range >=${low} <${high})`, installed.dir);
    }
    if (uses.length && !autologged) {
      findings.warning(
        'integration.no-autolog',
        `${sdk.name} is used (${uses[0]}${uses.length > 1 ? ` and ${uses.length - 1} more` : ''}) but no source imports ${sdk.subpath}: its LLM calls are not traced`,
        `call await autolog() from '${sdk.subpath}' once at start-up, before the first LLM call`,
        uses[0],
      );
    }
  }
}

/** `autolog()` without await, with the SDK already imported: its ES module copy is patched a moment later. */
function checkAwaited(file: string, text: string, sdk: Sdk, staticUse: string, findings: Findings): void {
  const names = new Set<string>();
  const named = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*['"]${sdk.subpath.replace(/[/@]/g, '\\$&')}['"]`, 'g');
  for (const m of text.matchAll(named)) {
    for (const part of m[1]!.split(',')) {
      const [imported, local] = part.trim().split(/\s+as\s+/);
      if (imported === 'autolog') names.add(local ?? imported);
    }
  }
  for (const name of names) {
    const call = new RegExp(`(^|[^\\w.$])${name.replace(/\$/g, '\\$')}\\s*\\(`, 'gm');
    for (const m of text.matchAll(call)) {
      const at = m.index! + m[1]!.length;
      const lineStart = text.lastIndexOf('\n', at - 1) + 1;
      const lineEnd = text.indexOf('\n', at);
      const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
      const before = text.slice(lineStart, at);
      if (/^\s*(\/\/|\*|import\b)/.test(line) || /\bawait\s*$|\breturn\s*$|\bawait\s+Promise\./.test(before) || /\)\s*\.then\s*\(/.test(line)) continue;
      const { message, fix } = notAwaitedAdvice(sdk.name, sdk.subpath, name);
      findings.warning('integration.autolog-not-awaited', `${message} (${staticUse})`, fix, `${file}:${lineOf(text, at)}`);
    }
  }
}

/** The directory of the `name` package that `file` belongs to. */
function packageRootOf(file: string, name: string): string {
  const marker = `${sep}node_modules${sep}${name.split('/').join(sep)}${sep}`;
  const at = file.lastIndexOf(marker);
  if (at >= 0) return file.slice(0, at + marker.length - 1);
  for (let d = dirname(file); dirname(d) !== d; d = dirname(d)) {
    if (fs.existsSync(join(d, 'package.json'))) return d;
  }
  return dirname(file);
}

function realpath(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    return path;
  }
}

/** Run time: what autolog() did in this process, against the SDK copies loaded here. */
export function checkIntegrationsInProcess(cwd: string, findings: Findings): void {
  const cache = createRequire(join(cwd, 'noop.js')).cache;
  for (const sdk of SDKS) {
    const loaded = new Set<string>();
    for (const key of Object.keys(cache)) {
      if (key.includes(`${sep}node_modules${sep}${sdk.name.split('/').join(sep)}${sep}`)) loaded.add(realpath(packageRootOf(key, sdk.name)));
    }
    let appCopy: string | undefined;
    try {
      appCopy = realpath(packageRootOf(realpath(createRequire(join(cwd, 'noop.js')).resolve(sdk.name)), sdk.name));
    } catch {
      appCopy = undefined;
    }
    const record = findAutologRecord(sdk.integration);
    if (!record || record.calls === 0) {
      if (loaded.size > 0) {
        findings.warning(
          'integration.autolog-not-called',
          `${sdk.name} is loaded in this process but autolog() from ${sdk.subpath} was never called: its LLM calls are not traced`,
          `call await autolog() from '${sdk.subpath}' at start-up, before the first LLM call`,
          [...loaded][0],
        );
      }
      continue;
    }
    if (record.disabled) {
      findings.info('integration.autolog-disabled', `autolog({ disable: true }) turned ${sdk.name} tracing off`);
      continue;
    }
    if (record.pending > 0) {
      findings.warning(
        'integration.autolog-pending',
        `autolog() from ${sdk.subpath} has not finished: until its promise resolves the ES module copy of ${sdk.name} is not patched, and calls through it are not traced`,
        'await autolog() before the first LLM call',
        sdk.subpath,
      );
    }
    if (!record.resolved || (record.pending === 0 && record.copies === 0)) {
      findings.warning(
        'integration.sdk-not-found',
        `autolog() from ${sdk.subpath} found no copy of ${sdk.name} next to @tracewright/runtime: nothing was patched`,
        `install ${sdk.name} in the same project as @tracewright/runtime (it is a peer dependency)`,
        sdk.subpath,
      );
      continue;
    }
    const patched = realpath(packageRootOf(realpath(record.resolved), sdk.name));
    const others = new Set([...loaded, ...(appCopy ? [appCopy] : [])]);
    others.delete(patched);
    for (const other of others) {
      findings.warning(
        'integration.other-copy',
        `the application loads ${sdk.name} from ${other}, but autolog() patched the copy at ${patched}: calls through the other copy are not traced`,
        `have one copy of ${sdk.name} (npm dedupe; make @tracewright/runtime and the app resolve the same one)`,
        other,
      );
    }
  }
}
