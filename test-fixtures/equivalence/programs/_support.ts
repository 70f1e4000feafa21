// Shared by the programs (copied next to each variant unchanged; it is never traced).
export type Log = (entry: unknown) => void;
export type Metric = (name: string, value: number) => void;

export function errorOf(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : `non-error: ${String(error)}`;
}

/** Logs `[label, value]` or `[label, 'threw', 'Class: message']`: a throw tracing adds shows up as a log difference. */
export function attempt(log: Log, label: string, fn: () => unknown): void {
  try {
    log([label, fn()]);
  } catch (error) {
    log([label, 'threw', errorOf(error)]);
  }
}

export async function attemptAsync(log: Log, label: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    log([label, await fn()]);
  } catch (error) {
    log([label, 'threw', errorOf(error)]);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
