/**
 * A Node built-in module where the runtime offers one without a static import (workerd with
 * nodejs_compat, Deno, Bun, Node >= 20.16); undefined elsewhere. Never throws.
 */
export function builtinModule<T>(id: string): T | undefined {
  try {
    const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
    return typeof get === 'function' ? (get(id) as T | undefined) ?? undefined : undefined;
  } catch {
    return undefined;
  }
}
