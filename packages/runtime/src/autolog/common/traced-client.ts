/**
 * The explicit alternative to autolog: wraps ONE client object in a Proxy that traces the
 * listed methods (by property path, e.g. "chat.completions.create") without touching the
 * SDK's classes. Other properties behave exactly as on the client.
 */
import { unwrapPatched } from './patch-registry.js';

export type MethodTracer = (original: Function, self: unknown, args: unknown[]) => unknown;

export function traceClient<T extends object>(client: T, methods: Readonly<Record<string, MethodTracer>>): T {
  const prefixes = new Set<string>();
  for (const path of Object.keys(methods)) {
    const parts = path.split('.');
    for (let i = 1; i < parts.length; i++) prefixes.add(parts.slice(0, i).join('.'));
  }
  const cache = new WeakMap<object, object>();
  const wrap = <O extends object>(target: O, path: string): O => {
    const cached = cache.get(target);
    if (cached) return cached as O;
    const proxy = new Proxy(target, {
      get(t, prop, receiver) {
        const value = Reflect.get(t, prop, receiver === proxy ? t : receiver);
        if (typeof prop !== 'string') return value;
        // A resource's helpers (OpenAI's chat.completions.stream(), runTools()) call the API
        // through its back-reference to the client: hand them the traced client.
        if (prop === '_client' && path !== '' && value === client) return wrap(client, '');
        const childPath = path ? `${path}.${prop}` : prop;
        const tracer = methods[childPath];
        if (tracer && typeof value === 'function') {
          // If autolog also patched this method, call the SDK's own one: one span per call.
          const original = unwrapPatched(value as Function);
          return function (this: unknown, ...args: unknown[]) {
            return tracer(original, t, args);
          };
        }
        if (prefixes.has(childPath) && value !== null && typeof value === 'object') return wrap(value as object, childPath);
        if (typeof value !== 'function' || /^class[\s{]/.test(Function.prototype.toString.call(value))) return value;
        // The client's own methods run on the real client (it has private fields a Proxy lacks).
        // A resource's helpers (e.g. Anthropic's messages.stream()) run on the proxy, so the
        // `this.create(...)` they make is traced.
        return path === '' ? (value as Function).bind(t) : (value as Function).bind(proxy);
      },
    });
    cache.set(target, proxy);
    return proxy;
  };
  return wrap(client, '');
}
