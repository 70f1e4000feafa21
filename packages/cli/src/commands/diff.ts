import { diffTraces } from '@tracewright/runtime';
import { STORE_OPTION, STORE_USAGE, intOpt, stringOpt, type Command } from '../command.js';
import { CliError, ExitCode } from '../errors.js';
import { renderTraceDiff } from '../render/diff.js';
import { escapeForTerminal, escapeLinesForTerminal } from '../render/terminal.js';
import { openSource } from '../source.js';

export const diffCommand: Command = {
  name: 'traces diff',
  summary: 'compare two traces span by span (changed inputs/outputs/attributes, time and token deltas)',
  usage: `Usage: tracewright traces diff <trace-id-A> <trace-id-B> [options]

Spans are matched by their path of names from the root; repeated calls of the same name
(loops) are matched in call order. Lines: "~" changed, "+" only in B, "-" only in A.

      --json          the diff as JSON (spans, changes, duration and token deltas)
  -w, --width <N>     characters of each changed value shown (default 100)
${STORE_USAGE}`,
  options: { ...STORE_OPTION, json: { type: 'boolean' }, width: { type: 'string', short: 'w' } },
  positionals: [2, 2],
  async run(values, [idA, idB], io) {
    const width = intOpt(values, 'width', 1, 100_000) ?? 100;
    const source = await openSource({ store: stringOpt(values, 'store') });
    try {
      const [a, b] = await Promise.all([source.getTrace(idA!), source.getTrace(idB!)]);
      for (const [id, t] of [[idA!, a], [idB!, b]] as const) {
        if (!t) throw new CliError(`trace ${escapeForTerminal(id)} not found in ${source.description}`, ExitCode.NOT_FOUND);
      }
      const d = diffTraces(a!, b!);
      io.out((values.json ? escapeLinesForTerminal(JSON.stringify(d, null, 2)) : renderTraceDiff(d, width)) + '\n');
    } finally {
      await source.close();
    }
  },
};
