/**
 * Child-process entry of the equivalence suite: imports one program variant, runs its
 * `main(log, metric)`, and records everything observable from outside the program:
 * its log, how main ended, every `unhandledRejection` reason, the exit code, peak RSS.
 * The record is written synchronously on `exit`, so a crash or `process.exit()` still
 * produces one; a process that never exits is killed by the parent (no record = hang).
 *
 * It imports nothing from tracewright: an untraced program must run with no trace of us, and
 * a traced one must write its traces by itself (the parent reads ./mlruns afterwards).
 *
 * usage: node [flags] runner.ts <program> <record.json> [observe|crash]
 *   observe  (default) a listener records unhandled rejections (the process keeps running)
 *   crash    no listener: Node's default applies (an unhandled rejection kills the process)
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { describeError, plain, type Observation } from './observation.js';

const [program, recordFile, mode = 'observe'] = process.argv.slice(2);
if (!program || !recordFile || (mode !== 'observe' && mode !== 'crash')) {
  throw new Error('usage: runner.ts <program> <record.json> [observe|crash]');
}

const record: Observation = { log: [], outcome: null, unhandled: [], exitCode: null, metrics: {}, maxRssKb: 0, mainMs: null };

if (mode === 'observe') {
  process.on('unhandledRejection', (reason) => {
    record.unhandled.push(describeError(reason));
  });
}
process.on('exit', (code) => {
  record.exitCode = code;
  record.maxRssKb = process.resourceUsage().maxRSS;
  writeFileSync(recordFile, JSON.stringify(record));
});

type Main = (log: (entry: unknown) => void, metric: (name: string, value: number) => void) => unknown;
const mod = (await import(pathToFileURL(program).href)) as { main?: Main };
if (typeof mod.main !== 'function') throw new Error(`${program} exports no main(log, metric)`);

const started = performance.now();
try {
  const value = await mod.main(
    (entry) => record.log.push(plain(entry)),
    (name, value) => {
      record.metrics[name] = value;
    },
  );
  record.outcome = { returned: plain(value) };
} catch (error) {
  record.outcome = { threw: describeError(error) };
}
record.mainMs = performance.now() - started;
