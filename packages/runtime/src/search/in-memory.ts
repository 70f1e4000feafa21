/** searchTraces over traces held in memory: the reference semantics every store must match. */
import type { SearchTracesOptions, TracePage } from '../export/destination.js';
import { experimentIdOf, traceEntity, TraceDataEntity, TraceEntity, type Trace } from '../model/trace.js';
import { mayReadAssessments, sessionAssessmentIndex, sessionAssessmentsFor } from './assessments.js';
import { compileFilter, type SearchableTrace } from './compile.js';
import { startDeadline, validateTimeoutMs } from './deadline.js';
import { compileOrderBy } from './order-by.js';
import { decodePageToken, encodePageToken, pageTokenContext, validateMaxResults } from './paging.js';

/**
 * Filters, sorts and pages `traces`. Options are validated before any trace is looked at,
 * so a bad filter fails the same way on an empty store. Throws SearchTimeoutError past
 * `timeoutMs` (default 10 s). Without `experimentIds` every trace
 * is searched; `includeSpans: false` returns infos with empty span lists.
 */
export function searchInMemory(traces: readonly Trace[], options: SearchTracesOptions = {}): TracePage {
  const maxResults = validateMaxResults(options.maxResults);
  const matches = compileFilter(options.filterString);
  const compare = compileOrderBy(options.orderBy);
  const context = pageTokenContext(options);
  const offset = options.pageToken ? decodePageToken(options.pageToken, context) : 0;
  const experiments = options.experimentIds ? new Set(options.experimentIds) : undefined;
  const overBudget = startDeadline(validateTimeoutMs(options.timeoutMs), traces.length);

  const inScope = (t: Trace) => !experiments || experiments.has(experimentIdOf(t.info));
  const sessions = mayReadAssessments(options.filterString) ? sessionAssessmentIndex(traces.filter(inScope).map((t) => t.info)) : undefined;
  const found: Trace[] = [];
  for (const t of traces) {
    overBudget();
    if (!inScope(t)) continue;
    const searchable: SearchableTrace = { info: t.info, spans: () => t.data.spans };
    if (sessions) searchable.sessionAssessments = sessionAssessmentsFor(t.info, sessions);
    if (matches(searchable)) found.push(t);
  }
  found.sort((a, b) => compare(a.info, b.info));
  const page = found.slice(offset, offset + maxResults);
  const result: TracePage = {
    traces: page.map((t) => (options.includeSpans === false ? new TraceEntity(t.info, new TraceDataEntity()) : traceEntity(t))),
  };
  if (offset + maxResults < found.length) result.nextPageToken = encodePageToken(offset + maxResults, context);
  return result;
}
