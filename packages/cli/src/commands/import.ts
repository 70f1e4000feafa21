import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { traceFromJsonText, type Trace } from '@tracewright/runtime';
import { STORE_OPTION, STORE_USAGE, progress, stringOpt, type Command } from '../command.js';
import { CliError } from '../errors.js';
import { openSource } from '../source.js';

const BATCH = 200;

export const importCommand: Command = {
  name: 'traces import',
  summary: 'load traces from a JSONL file written by export (or MLflow trace JSON lines)',
  usage: `Usage: tracewright traces import <file.jsonl> [options]
       tracewright traces import --in <file.jsonl> [options]
${STORE_USAGE}`,
  options: { ...STORE_OPTION, in: { type: 'string' } },
  positionals: [0, 1],
  async run(values, positionals, io) {
    const file = stringOpt(values, 'in') ?? positionals[0];
    if (!file) throw new CliError(`traces import: which file? pass <file.jsonl> or --in <file>\n\n${this.usage}`, 2);
    if (file !== '-' && !existsSync(file)) throw new CliError(`cannot read ${file}: no such file`, 2);
    // Parse everything before writing anything: a bad line must not leave a half-imported store.
    const traces: Trace[] = [];
    const lines = createInterface({ input: file === '-' ? process.stdin : createReadStream(file), crlfDelay: Infinity });
    let lineNo = 0;
    for await (const line of lines) {
      lineNo++;
      if (!line.trim()) continue;
      try {
        const trace = traceFromJsonText(line);
        if (!trace.info.traceId || !trace.info.traceId.startsWith('tr-')) throw new Error('missing info.trace_id');
        traces.push(trace);
      } catch (error) {
        throw new CliError(`${file}:${lineNo}: not an MLflow trace JSON line (${(error as Error).message})`, 2);
      }
    }
    const source = await openSource({ store: stringOpt(values, 'store'), mustExist: false });
    try {
      const bar = progress(io, 'imported', BATCH);
      for (let i = 0; i < traces.length; i += BATCH) {
        await source.writeTraces(traces.slice(i, i + BATCH));
        bar.update(Math.min(traces.length, i + BATCH));
      }
      bar.done(`imported ${traces.length} trace${traces.length === 1 ? '' : 's'} into ${source.description}`);
    } finally {
      await source.close();
    }
  },
};
