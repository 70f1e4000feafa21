/**
 * The original of a global that a test faked before the runtime loaded (`vi.useFakeTimers()` in a
 * setup file, jest's `fakeTimers: { enableGlobally: true }`): @sinonjs/fake-timers, which both
 * use, marks each fake with its `clock` and keeps the original on it as `_<name>`. The tracer's
 * own timers and clocks must be the real ones whenever the program's were faked: its heartbeat
 * counted as the program's timer, and its spans read the fake clock.
 */
export function unfaked<T>(value: T, name: string): T {
  if ((typeof value !== 'function' && typeof value !== 'object') || value === null) return value;
  try {
    const clock = (value as { clock?: unknown }).clock;
    if (typeof clock !== 'object' || clock === null) return value;
    const original = (clock as Record<string, unknown>)[`_${name}`];
    return typeof original === typeof value && original !== null ? (original as T) : value;
  } catch {
    return value;
  }
}
