/**
 * Tiny benchmark harness shared by the bench files: warm-up, several timed rounds, median.
 * Figures are printed next to a baseline measured in the same process, as ratios.
 */
import { loadavg } from 'node:os';

export interface Measurement {
  name: string;
  /** Median nanoseconds per operation. */
  nsPerOp: number;
}

export function measureSync(name: string, ops: number, fn: () => void, rounds = 7): Measurement {
  for (let i = 0; i < Math.min(ops, 20_000); i++) fn(); // warm-up / JIT
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) fn();
    samples.push(Number(process.hrtime.bigint() - start) / ops);
  }
  samples.sort((a, b) => a - b);
  return { name, nsPerOp: samples[Math.floor(samples.length / 2)]! };
}

export async function measureAsync(name: string, ops: number, fn: () => Promise<unknown>, rounds = 7): Promise<Measurement> {
  for (let i = 0; i < Math.min(ops, 5_000); i++) await fn();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) await fn();
    samples.push(Number(process.hrtime.bigint() - start) / ops);
  }
  samples.sort((a, b) => a - b);
  return { name, nsPerOp: samples[Math.floor(samples.length / 2)]! };
}

export function report(title: string, rows: Measurement[], baseline: Measurement, notes: string[] = []): void {
  console.log(`\n## ${title}`);
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    console.log(`  ${r.name.padEnd(width)}  ${r.nsPerOp.toFixed(1).padStart(10)} ns/op  ${(r.nsPerOp / baseline.nsPerOp).toFixed(2).padStart(7)}x ${baseline.name}`);
  }
  for (const n of notes) console.log(`  ${n}`);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** "1.23 / 1.10 / 0.98": the 1, 5 and 15 minute load averages, printed beside figures from a shared machine. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}
