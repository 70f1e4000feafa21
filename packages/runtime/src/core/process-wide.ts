/**
 * Objects shared by every copy of the runtime loaded in one process (the ESM and the CommonJS
 * build side by side, a test runner re-evaluating modules): kept on `globalThis` under a
 * registered symbol, made by the first copy that asks.
 */
export function processWide<T>(key: symbol, make: () => T): T {
  const g = globalThis as unknown as Record<symbol, T | undefined>;
  let found = g[key];
  if (found === undefined) {
    found = make();
    Object.defineProperty(g, key, { value: found, enumerable: false });
  }
  return found;
}
