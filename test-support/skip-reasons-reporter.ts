/**
 * Prints, after vitest's own summary, one line per reason that tests were skipped with
 * (`ctx.skip(reason)`), so a skip is visible in the default output rather than only as a count.
 */
import { relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';

export default class SkipReasonsReporter implements Reporter {
  private root = process.cwd();
  private log: (line: string) => void = (line) => console.log(line);

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
    this.log = (line) => vitest.logger.log(line);
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = new Map<string, number>(); // "file: reason" -> skipped tests
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const result = test.result();
        if (result.state !== 'skipped' || !result.note) continue;
        const key = `${relative(this.root, mod.moduleId)}: ${result.note}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    for (const [key, n] of counts) this.log(` SKIPPED ${n} test${n === 1 ? '' : 's'} in ${key}`);
  }
}
