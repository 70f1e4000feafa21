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
  /** The integration's subpath under @tracewright/runtime when it is not `name` (for messages). */
  subpath?: string;
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
    const settle = (): void => {
      if (settled) return;
      settled = true;
      record.pending--;
    };
    const loadedBefore = freshImportPending();
    try {
      const cjs = requireCopy(integration.specifier) as Record<string, unknown> | undefined;
      let copies = integration.patchCopy(cjs) ? 1 : 0;
      record.copies = copies;
      await importCopy(
        integration.specifier,
        (mod) => !!cjs && (mod as Record<string, unknown>)[integration.identity] === cjs[integration.identity],
        (esm) => {
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
      settle();
    }
  }
}
