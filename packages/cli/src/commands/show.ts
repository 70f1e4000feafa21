import { traceToJsonText } from '@tracewright/runtime';
import { STORE_OPTION, STORE_USAGE, intOpt, stringOpt, type Command } from '../command.js';
import { CliError, ExitCode } from '../errors.js';
import { escapeForTerminal } from '../render/terminal.js';
import { renderTraceTree } from '../render/tree.js';
import { openSource } from '../source.js';

export const showCommand: Command = {
  name: 'traces show',
  summary: 'print one trace as a span tree (or its MLflow JSON)',
  usage: `Usage: tracewright traces show <trace-id> [options]

      --json          the trace in MLflow JSON ({"info": ..., "data": {"spans": [...]}})
  -w, --width <N>     characters of inputs/outputs shown per span (default 100, 0 hides them)
${STORE_USAGE}`,
  options: { ...STORE_OPTION, json: { type: 'boolean' }, width: { type: 'string', short: 'w' } },
  positionals: [1, 1],
  async run(values, [traceId], io) {
    const width = intOpt(values, 'width', 0, 100_000) ?? 100;
    const source = await openSource({ store: stringOpt(values, 'store') });
    try {
      const trace = await source.getTrace(traceId!);
      if (!trace) throw new CliError(`trace ${escapeForTerminal(traceId!)} not found in ${source.description}`, ExitCode.NOT_FOUND);
      io.out((values.json ? traceToJsonText(trace) : renderTraceTree(trace, { width })) + '\n');
    } finally {
      await source.close();
    }
  },
};
