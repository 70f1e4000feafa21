import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { datasetRecordOf, traceToJsonText } from '@tracewright/runtime';
import { STORE_OPTION, STORE_USAGE, TIMEOUT_OPTION, TIMEOUT_USAGE, progress, stringOpt, timeoutOpt, type Command } from '../command.js';
import { escapeLinesForTerminal } from '../render/terminal.js';
import { CliError } from '../errors.js';
import { experimentIdsFor, openSource } from '../source.js';

const PAGE = 200;

export const exportCommand: Command = {
  name: 'traces export',
  summary: 'write traces (or evaluation dataset records) to a JSONL file',
  usage: `Usage: tracewright traces export --out <file.jsonl> [options]

      --out <file>            destination file ("-" for stdout)
  -f, --filter <expr>         only traces matching this MLflow filter
  -e, --experiment <name>     only this experiment (default: all)
      --dataset               one evaluation record per trace instead (MLflow's dataset record:
                              inputs of the root span, expectations by name, feedback in tags,
                              source trace id)
      --outputs               with --dataset: also the root span's outputs
${TIMEOUT_USAGE}
${STORE_USAGE}`,
  options: { ...STORE_OPTION, ...TIMEOUT_OPTION, out: { type: 'string' }, filter: { type: 'string', short: 'f' }, experiment: { type: 'string', short: 'e' }, dataset: { type: 'boolean' }, outputs: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const out = stringOpt(values, 'out');
    if (!out) throw new CliError(`traces export: --out <file.jsonl> is required\n\n${this.usage}`, 2);
    const timeoutMs = timeoutOpt(values);
    const dataset = values.dataset === true;
    if (values.outputs && !dataset) throw new CliError(`traces export: --outputs only applies with --dataset\n\n${this.usage}`, 2);
    const toText = dataset
      ? (t: Parameters<typeof traceToJsonText>[0]) => JSON.stringify(datasetRecordOf(t, { includeOutputs: values.outputs === true }))
      : traceToJsonText;
    const source = await openSource({ store: stringOpt(values, 'store') });
    const toStdout = out === '-';
    const stream = toStdout ? process.stdout : createWriteStream(out);
    const failed = new Promise<never>((_, reject) =>
      stream.once('error', (e: Error) => reject(new CliError(`cannot write ${out}: ${e.message}`, 2))),
    );
    failed.catch(() => {});
    try {
      const experimentIds = await experimentIdsFor(source, stringOpt(values, 'experiment'));
      const bar = progress(io, 'exported', PAGE);
      let count = 0;
      let pageToken: string | undefined;
      do {
        const page = await Promise.race([
          source.searchTraces({ experimentIds, filterString: stringOpt(values, 'filter'), maxResults: PAGE, pageToken, includeSpans: true, orderBy: ['timestamp_ms ASC'], timeoutMs }),
          failed,
        ]);
        for (const trace of page.traces) {
          // To stdout (maybe a terminal) with C1 / bidi characters as JSON escapes: the same JSON value.
          const line = toStdout ? escapeLinesForTerminal(toText(trace)) : toText(trace);
          if (!stream.write(line + '\n')) await Promise.race([once(stream, 'drain'), failed]);
        }
        count += page.traces.length;
        bar.update(count);
        pageToken = page.nextPageToken;
      } while (pageToken);
      if (!toStdout) {
        stream.end();
        await Promise.race([once(stream, 'finish'), failed]);
      }
      bar.done(`exported ${count} ${dataset ? 'dataset record' : 'trace'}${count === 1 ? '' : 's'} from ${source.description} to ${toStdout ? 'stdout' : out}`);
    } finally {
      await source.close();
    }
  },
};
