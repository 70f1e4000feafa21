import { STORE_OPTION, STORE_USAGE, intOpt, parseAge, stringOpt, type Command } from '../command.js';
import { CliError } from '../errors.js';
import { experimentIdsFor, openSource } from '../source.js';

export const deleteCommand: Command = {
  name: 'traces delete',
  summary: 'delete traces by age, by id, or beyond a count',
  usage: `Usage: tracewright traces delete (--older-than <age> | --id <trace-id>... | --keep <N>) [options]

      --older-than <age>     traces that started more than <age> ago: 30m, 12h, 7d, 2w
      --id <trace-id>        this trace (repeatable)
      --keep <N>             keep the N newest traces of each experiment, delete the rest
  -e, --experiment <name>    only in this experiment (default: all)
${STORE_USAGE}`,
  options: {
    ...STORE_OPTION,
    'older-than': { type: 'string' },
    id: { type: 'string', multiple: true },
    keep: { type: 'string' },
    experiment: { type: 'string', short: 'e' },
  },
  async run(values, _positionals, io) {
    const olderThan = stringOpt(values, 'older-than');
    const ids = values.id as string[] | undefined;
    const keep = intOpt(values, 'keep', 0, Number.MAX_SAFE_INTEGER);
    if (olderThan === undefined && !ids && keep === undefined) {
      throw new CliError(`traces delete: say what to delete (--older-than, --id or --keep)\n\n${this.usage}`, 2);
    }
    const maxTimestampMillis = olderThan === undefined ? undefined : Date.now() - parseAge(olderThan, '--older-than');
    const source = await openSource({ store: stringOpt(values, 'store') });
    try {
      const experimentIds = (await experimentIdsFor(source, stringOpt(values, 'experiment'))) ?? [undefined];
      let deleted = 0;
      for (const experimentId of experimentIds) {
        deleted += await source.deleteTraces({ experimentId, traceIds: ids, maxTimestampMillis, maxTraces: keep });
      }
      io.err(`deleted ${deleted} trace${deleted === 1 ? '' : 's'} from ${source.description}\n`);
    } finally {
      await source.close();
    }
  },
};
