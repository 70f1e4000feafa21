import { traceInfoToJson, type Trace } from '@tracewright/runtime';
import { STORE_OPTION, STORE_USAGE, TIMEOUT_OPTION, TIMEOUT_USAGE, intOpt, stringOpt, timeoutOpt, type Command } from '../command.js';
import { formatInfoDuration, formatTime } from '../render/format.js';
import { renderTable, type Column } from '../render/table.js';
import { experimentIdsFor, openSource } from '../source.js';
import { summarize, type TraceSummary } from '../summary.js';

const COLUMNS: Column<TraceSummary>[] = [
  { header: 'TRACE ID', value: (s) => s.traceId },
  { header: 'NAME', value: (s) => s.name, maxWidth: 32 },
  { header: 'STATUS', value: (s) => s.state },
  { header: 'START', value: (s) => formatTime(s.requestTime) },
  { header: 'DURATION', value: (s) => formatInfoDuration(s.durationMs), align: 'right' },
  { header: 'USER', value: (s) => s.user ?? '', maxWidth: 24 },
  { header: 'SESSION', value: (s) => s.session ?? '', maxWidth: 24 },
  { header: 'TOKENS', value: (s) => (s.totalTokens === undefined ? '' : String(s.totalTokens)), align: 'right' },
];

/** Page size asked of the store; --max may span several pages. */
const PAGE = 500;

export const searchCommand: Command = {
  name: 'traces search',
  summary: 'list traces matching an MLflow filter',
  usage: `Usage: tracewright traces search [options]

  -f, --filter <expr>      MLflow filter, e.g. "metadata.\`mlflow.trace.user\` = 'alice' AND trace.status = 'OK'"
  -e, --experiment <name>  only this experiment (name or id; default: all)
  -o, --order-by <key>     e.g. "timestamp_ms DESC" (repeatable)
  -n, --max <N>            at most N traces (default 25)
      --json               one JSON document {"traces":[TraceInfoV3...]} instead of a table
${TIMEOUT_USAGE}
${STORE_USAGE}`,
  options: {
    ...STORE_OPTION,
    ...TIMEOUT_OPTION,
    filter: { type: 'string', short: 'f' },
    experiment: { type: 'string', short: 'e' },
    'order-by': { type: 'string', short: 'o', multiple: true },
    max: { type: 'string', short: 'n' },
    json: { type: 'boolean' },
  },
  async run(values, _positionals, io) {
    const max = intOpt(values, 'max', 1, 1_000_000) ?? 25;
    const timeoutMs = timeoutOpt(values);
    const source = await openSource({ store: stringOpt(values, 'store') });
    try {
      const experimentIds = await experimentIdsFor(source, stringOpt(values, 'experiment'));
      const traces: Trace[] = [];
      let pageToken: string | undefined;
      do {
        const page = await source.searchTraces({
          experimentIds,
          filterString: stringOpt(values, 'filter'),
          orderBy: values['order-by'] as string[] | undefined,
          maxResults: Math.min(PAGE, max - traces.length),
          pageToken,
          includeSpans: false,
          timeoutMs,
        });
        traces.push(...page.traces);
        pageToken = page.nextPageToken;
      } while (pageToken && traces.length < max);

      if (values.json) {
        const body: { traces: unknown[]; next_page_token?: string } = { traces: traces.map((t) => traceInfoToJson(t.info)) };
        if (pageToken) body.next_page_token = pageToken;
        io.out(JSON.stringify(body, null, 2) + '\n');
        return;
      }
      if (traces.length === 0) {
        io.err(`no traces found in ${source.description}\n`);
        return;
      }
      io.out(renderTable(traces.map((t) => summarize(t.info)), COLUMNS) + '\n');
      if (pageToken) io.err(`(showing the first ${traces.length}; raise --max to see more)\n`);
    } finally {
      await source.close();
    }
  },
};
