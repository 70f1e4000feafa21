/**
 * Finds the copies of an SDK that an application may have loaded. A dual package (openai,
 * @anthropic-ai/sdk, @langchain/core) ships separate CommonJS and ES module files, so
 * `require('openai')` and `import('openai')` give two sets of classes; autolog patches both.
 *
 * The SDK is resolved from this package's location, as a peer dependency is.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ownFile } from '../../core/own-location.js';

declare const require: NodeJS.Require | undefined;

let cachedRequire: NodeJS.Require | undefined;
function localRequire(): NodeJS.Require {
  if (cachedRequire) return cachedRequire;
  if (typeof require === 'function') return (cachedRequire = require);
  return (cachedRequire = createRequire(ownFile() ?? join(process.cwd(), 'index.js')));
}

/** The CommonJS copy, or undefined when the SDK is not installed (or has no CJS build). */
export function requireCopy(specifier: string): unknown {
  try {
    return localRequire()(specifier);
  } catch {
    return undefined;
  }
}

/** `import()` that the CommonJS build of this file cannot compile into `require()`. */
let functionImport: ((specifier: string) => Promise<unknown>) | undefined;
function importViaFunction(specifier: string): Promise<unknown> {
  functionImport ??= new Function('specifier', 'return import(specifier)') as (s: string) => Promise<unknown>;
  return functionImport(specifier);
}

/**
 * Loads the ES module copy and hands it to `onLoaded` (undefined when the SDK is not installed).
 * `isCjsCopy` recognises the CommonJS copy: in the CommonJS build `import()` is compiled into
 * `require()` and yields it again, so then a real dynamic import is made through a Function (not
 * possible inside a vm context, where the plain `import()` already is a real one).
 *
 * `onLoaded` runs in the very first reaction to the import, so when the program's own
 * `import('sdk')` was requested after ours (a plain `autolog()` call without `await`, then the
 * import), the copy is patched before the program's code after its import runs.
 */
export async function importCopy(specifier: string, isCjsCopy: (mod: unknown) => boolean, onLoaded: (mod: unknown) => void): Promise<void> {
  try {
    const mod = await import(specifier);
    if (!isCjsCopy(mod)) return onLoaded(mod);
  } catch {
    /* fall through */
  }
  let mod: unknown;
  try {
    mod = await importViaFunction(specifier);
  } catch {
    mod = undefined;
  }
  onLoaded(mod);
}

let probes = 0;

/**
 * Starts the import of a brand-new one-line module and answers "still pending?". An SDK import
 * started at the same moment that settles while this is still pending was already loaded (it had
 * nothing to read from disk). A relative measure, so loader hooks (tsx, import-in-the-middle)
 * that slow every import alike do not change the answer; an import that fails answers "no".
 */
export function freshImportPending(): () => boolean {
  let pending = true;
  const settle = () => (pending = false);
  try {
    importViaFunction(`data:text/javascript,export default ${++probes}/*tracewright autolog probe ${process.pid}*/`).then(settle, settle);
  } catch {
    settle();
  }
  return () => pending;
}

/** The file `require(specifier)` loads from this package's location, or undefined. */
export function resolveCopy(specifier: string): string | undefined {
  try {
    return localRequire().resolve(specifier);
  } catch {
    return undefined;
  }
}
