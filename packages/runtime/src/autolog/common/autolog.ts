/**
 * The `autolog()` every integration exports, written once: patch the CommonJS copy of the SDK
 * now, the ES module copy when its `import()` resolves, idempotently; `{ disable: true }`
 * restores the SDK. A disable issued while the import is pending wins. Without `await`, the ES
 * module copy is still patched before the program's own later `import()` of the SDK resolves.
 * When the program had imported the SDK before a plain `autolog()`, that copy is patched a
 * moment too late for a call made straight after: warned about once (autolog-order.ts).
 */
import { autologRecord } from './autolog-record.js';
import { patchedCount, unpatchAll } from './patch-registry.js';
import { observeAwait, warnNotAwaited } from './autolog-order.js';
import { importCopy, freshImportPending, requireCopy, resolveCopy } from './sdk-modules.js';

export interface AutologOptions {
  /** true removes the instrumentation again (restores the SDK's methods). */
  disable?: boolean;
}

export interface AutologResult {
  /** SDK copies found (CommonJS and/or ES module). */
  copies: number;
  /** Methods currently instrumented, over all copies. */
  patchedMethods: number;
}

export interface SdkIntegration {
  /** Patch-registry key and the name used in error messages, e.g. "openai". */
  name: string;
  /** The module to instrument, e.g. "openai" or "@langchain/core/callbacks/manager". */
  specifier: string;
  /** A named export that is a distinct object in each copy (tells the ESM copy from the CJS one). */
  identity: string;
  /** Patches one loaded copy; false when the module does not look like the SDK. */
  patchCopy(mod: Record<string, unknown> | undefined): boolean;
  /** Undoes what is not a method patch (e.g. a processor registered with the SDK); run on disable. */
  unpatch?(): void;
  /**
   * Globals the SDK sets when it loads, to warn about a second copy (LlamaIndex prints an error
   * when both its CommonJS and ES module copies load): hidden while autolog loads a copy and
   * put back after, so the program sees what it would without autolog.
   */
  loadMarkers?: readonly string[];
  /** The integration's subpath under @tracewright/runtime when it is not `name` (for messages). */
  subpath?: string;
}

/** Markers currently hidden: how many loads hide each, and the program's own value to put back. */
const hidden = new Map<string, { loads: number; descriptor: PropertyDescriptor | undefined }>();

/**
 * Takes the `keys` off globalThis while autolog loads a copy (so the copy neither sees the
 * program's marker nor leaves its own); the returned function puts them back as they were once
 * the last overlapping load is done (the modules of one framework load concurrently).
 */
function keepGlobals(keys: readonly string[] | undefined): () => void {
  if (!keys || keys.length === 0) return () => undefined;
  const g = globalThis as Record<string, unknown>;
  for (const key of keys) {
    const entry = hidden.get(key);
    if (entry) {
      entry.loads++;
      continue;
    }
    const descriptor = Object.getOwnPropertyDescriptor(g, key);
    hidden.set(key, { loads: 1, descriptor });
    if (descriptor?.configurable) delete g[key];
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    for (const key of keys) {
      const entry = hidden.get(key)!;
      if (--entry.loads > 0) continue;
      hidden.delete(key);
      try {
        if (entry.descriptor) Object.defineProperty(g, key, entry.descriptor);
        else delete g[key];
      } catch {
        /* a non-configurable global stays as the SDK left it */
      }
    }
  };
}

/**
 * An integration's autolog(). `awaited` is for a composite autolog that runs several (it
 * observes its own promise and passes the question on); left out, the returned promise is observed.
 */
export type IntegrationAutolog = (options?: AutologOptions, awaited?: () => boolean) => Promise<AutologResult>;

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
const packageNameOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

export function createAutolog(integration: SdkIntegration): IntegrationAutolog {
  let calls = 0;
  // ES module copies an earlier autolog() saw: loaded (perhaps by us) before, not by the program.
  const seen = new WeakSet<object>();
  return function autolog(options?: AutologOptions, awaited?: () => boolean): Promise<AutologResult> {
    return awaited ? run(options, awaited) : observeAwait((own) => run(options, own));
  };
  async function run(options: AutologOptions = {}, awaited: () => boolean): Promise<AutologResult> {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`${integration.name} autolog(options): options must be an object like { disable?: boolean }`);
    }
    const generation = ++calls;
    const record = autologRecord(integration.name);
    if (options.disable) {
      unpatchAll(integration.name);
      integration.unpatch?.();
      record.disabled = true;
      return { copies: 0, patchedMethods: 0 };
    }
    record.calls++;
    record.pending++;
    record.disabled = false;
    record.resolved = resolveCopy(integration.specifier);
    let settled = false;
    let restoreAfterImport = (): void => undefined;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      record.pending--;
    };
    const loadedBefore = freshImportPending();
    try {
      const restoreAfterRequire = keepGlobals(integration.loadMarkers);
      const cjs = requireCopy(integration.specifier) as Record<string, unknown> | undefined;
      restoreAfterRequire();
      let copies = integration.patchCopy(cjs) ? 1 : 0;
      record.copies = copies;
      restoreAfterImport = keepGlobals(integration.loadMarkers);
      await importCopy(
        integration.specifier,
        (mod) => !!cjs && (mod as Record<string, unknown>)[integration.identity] === cjs[integration.identity],
        (esm) => {
          restoreAfterImport();
          const mod = esm as Record<string, unknown> | undefined;
          if (generation === calls && integration.patchCopy(mod)) {
            copies++;
            const distinct = mod![integration.identity] !== cjs?.[integration.identity];
            if (distinct && !seen.has(mod!) && loadedBefore() && !awaited()) warnNotAwaited(integration.subpath ?? integration.name, packageNameOf(integration.specifier));
            seen.add(mod!);
          }
          record.copies = copies;
          settle(); // from here on every copy is patched
        },
      );
      return { copies, patchedMethods: patchedCount(integration.name) };
    } finally {
      restoreAfterImport();
      settle();
    }
  }
}

/**
 * One `autolog()` over several modules of a framework split into packages or subpath exports
 * (e.g. `@llamaindex/core/retriever`, `@llamaindex/openai`): each module is its own
 * SdkIntegration (its own copies, patches and record); the result adds them up. Modules that
 * are not installed count nothing.
 */
export function createMultiAutolog(name: string, integrations: readonly SdkIntegration[]): (options?: AutologOptions) => Promise<AutologResult> {
  const parts = integrations.map(createAutolog);
  return function autolog(options: AutologOptions = {}): Promise<AutologResult> {
    // Whether the program awaits this autolog() is the question each part's warning asks.
    return observeAwait(async (awaited) => {
      if (options === null || typeof options !== 'object') {
        throw new TypeError(`${name} autolog(options): options must be an object like { disable?: boolean }`);
      }
      const results = await Promise.all(parts.map((part) => part(options, awaited)));
      return { copies: results.reduce((n, r) => n + r.copies, 0), patchedMethods: results.reduce((n, r) => n + r.patchedMethods, 0) };
    });
  };
}
