/**
 * Environment variables where the runtime has them (`process.env` on Node, Bun, Deno, workerd
 * with nodejs_compat); an empty object elsewhere. Workers pass configuration through bindings,
 * so there the destination is configured in code (see the README).
 */
export function processEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}
