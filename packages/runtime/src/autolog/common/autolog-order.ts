/**
 * The one import-order rule of autolog(), shared by the runtime warning (createAutolog) and the
 * doctor's static check: an ES module SDK that the program imported before a plain, un-awaited
 * `autolog()` is patched an `import()` round trip later, so a call made in between is not traced
 * (no ES module API can patch an already-loaded module synchronously).
 *
 * At run time both halves are observed: "already loaded" — our `import()` of the SDK settled
 * before the import of a brand-new one-line module started at the same time (an SDK that still
 * has to be read from disk cannot; see freshImportPending); "not awaited" — nothing asked
 * autolog()'s promise for its result (`await`, `.then`) by then.
 */
import { runtimeState } from '../../core/state.js';

/** What is wrong and how to fix it, in the same words for the doctor and the runtime warning. */
export function notAwaitedAdvice(sdkName: string, subpath: string, name = 'autolog'): { message: string; fix: string } {
  return {
    message: `${name}() from ${subpath} is not awaited while ${sdkName} is already imported (a static import runs before the code that calls ${name}()): its ES module copy is patched an import() round trip later, and a call made before that is not traced`,
    fix: `write await ${name}() before the first LLM call (or import ${sdkName} after ${name}() with a dynamic import(), or instrument the client itself with the integration's traced<Client>(client))`,
  };
}

/** A promise that notes whether anyone waits for it (`await` and `.then`/`.catch`/`.finally` call `then`). */
class ObservedPromise<T> extends Promise<T> {
  // Derived promises (from .then) are plain promises: only this one is observed.
  static override get [Symbol.species]() {
    return Promise;
  }
  waited = false;
  override then<A = T, B = never>(onFulfilled?: ((value: T) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    this.waited = true;
    return super.then(onFulfilled, onRejected);
  }
}

/**
 * Runs `body` and returns its result as a promise that reports whether the caller waited for it.
 * `body` gets the question to ask (a composite autolog passes it on to the integrations it runs).
 */
export function observeAwait<T>(body: (awaited: () => boolean) => Promise<T>): Promise<T> {
  let observed: ObservedPromise<T> | undefined;
  const awaited = () => observed?.waited === true;
  observed = new ObservedPromise<T>((resolve, reject) => body(awaited).then(resolve, reject));
  return observed;
}

const warned = new Set<string>();

/** The warning, once per integration per process, through tracewright's diagnostic logger. */
export function warnNotAwaited(integration: string, sdkName: string): void {
  if (warned.has(integration)) return;
  warned.add(integration);
  const { message, fix } = notAwaitedAdvice(sdkName, `@tracewright/runtime/${integration}`);
  try {
    runtimeState().diagnostics.log?.(`[tracewright] ${message}. Fix: ${fix}.`);
  } catch {
    // A logger that throws must not reach the program.
  }
}
