/**
 * The viewer's store-backed API routes (trace list, one trace, session list, one session), as
 * functions of a TraceReader and a plain request object: the server runs them in a worker
 * thread against its own view of a local store (search-pool.ts), or in-process for an MLflow
 * server, whose searches are network waits, not CPU.
 */
import { rootSpanOf, traceInfoToJson, traceToJsonText, TraceMetadataKey, type Trace, type TraceInfo, type TraceReader } from '@tracewright/runtime';

export type SearchRequest =
  | {
      route: 'traces';
      filter?: string;
      orderBy?: string[];
      max: number;
      pageToken?: string;
      experimentIds?: string[];
      timeoutMs?: number;
    }
  | { route: 'trace'; traceId: string; experimentIds?: undefined; timeoutMs?: undefined }
  | { route: 'sessions'; experimentIds?: string[]; timeoutMs?: number }
  | { route: 'session'; sessionId: string; experimentIds?: string[]; timeoutMs?: number };

const MAX_PAGE = 500;
const SESSION_LIMIT = 1000;
const SESSION_PAGE = 100;
const SESSION_SCAN = 2000;
const SESSION_KEY = `metadata.\`${TraceMetadataKey.TRACE_SESSION}\``;
const USER_KEY = `metadata.\`${TraceMetadataKey.TRACE_USER}\``;

/** The route's "not found" (404 with MLflow's error code), as plain fields so it crosses threads. */
function notFound(message: string): Error {
  return Object.assign(new Error(message), { errorCode: 'RESOURCE_DOES_NOT_EXIST', status: 404 });
}

/** The JSON body answering `request`. Errors are the reader's (FilterSyntaxError, SearchTimeoutError...). */
export async function runSearchRoute(reader: TraceReader, request: SearchRequest): Promise<string> {
  const { experimentIds, timeoutMs } = request;
  switch (request.route) {
    case 'trace': {
      const trace = await reader.getTrace(request.traceId);
      if (!trace) throw notFound(`trace ${request.traceId} not found`);
      return traceToJsonText(trace);
    }
    case 'traces': {
      const page = await reader.searchTraces({
        experimentIds,
        filterString: request.filter,
        orderBy: request.orderBy,
        maxResults: request.max,
        pageToken: request.pageToken,
        includeSpans: false,
        timeoutMs,
      });
      const body: { traces: unknown[]; next_page_token?: string } = { traces: page.traces.map((t) => traceInfoToJson(t.info)) };
      if (page.nextPageToken) body.next_page_token = page.nextPageToken;
      return JSON.stringify(body);
    }
    case 'sessions': {
      // Sessions of the most recent traces: bounded, so the page stays fast on huge stores.
      const infos: TraceInfo[] = [];
      let pageToken: string | undefined;
      do {
        const page = await reader.searchTraces({ experimentIds, filterString: `${SESSION_KEY} IS NOT NULL`, maxResults: MAX_PAGE, pageToken, includeSpans: false, timeoutMs });
        infos.push(...page.traces.map((t) => t.info));
        pageToken = page.nextPageToken;
      } while (pageToken && infos.length < SESSION_SCAN);
      return JSON.stringify({ sessions: groupSessions(infos), scanned: infos.length, limit: SESSION_SCAN });
    }
    case 'session': {
      const { sessionId } = request;
      const traces: Trace[] = [];
      let pageToken: string | undefined;
      do {
        const page = await reader.searchTraces({
          experimentIds,
          filterString: sessionFilter(sessionId),
          orderBy: ['timestamp_ms ASC'],
          maxResults: SESSION_PAGE,
          pageToken,
          includeSpans: true,
          timeoutMs,
        });
        // The LIKE form of sessionFilter may match a few other ids: keep the exact ones.
        traces.push(...page.traces.filter((t) => t.info.traceMetadata[TraceMetadataKey.TRACE_SESSION] === sessionId));
        pageToken = page.nextPageToken;
      } while (pageToken && traces.length < SESSION_LIMIT);
      // Infos hold whole milliseconds; the root spans' ns start times order turns exactly.
      const startNs = (t: Trace) => rootSpanOf(t)?.startTimeUnixNano ?? BigInt(t.info.requestTime) * 1_000_000n;
      traces.sort((a, b) => (startNs(a) < startNs(b) ? -1 : startNs(a) > startNs(b) ? 1 : 0));
      return JSON.stringify({ session_id: sessionId, traces: traces.map((t) => traceInfoToJson(t.info)) });
    }
  }
}

/**
 * `<key> = '<value>'`. MLflow string literals have no escape (search grammar spec B.5): a value
 * is quoted with the quote it does not contain. A value holding both kinds cannot be written
 * as a literal at all, so it is matched with LIKE, each `'` matched by `_` (and `%` / `_` of the
 * value itself acting as wildcards): a superset, which session lookups narrow exactly.
 */
export function keyEquals(key: string, value: string): string {
  if (!value.includes("'")) return `${key} = '${value}'`;
  if (!value.includes('"')) return `${key} = "${value}"`;
  return `${key} LIKE '${value.replaceAll("'", '_')}'`;
}

function sessionFilter(sessionId: string): string {
  return keyEquals(SESSION_KEY, sessionId);
}

/** The trace list's filter: the typed filter AND the user / session quick filters. */
export function listFilter(filter: string | undefined, user: string | undefined, session: string | undefined): string | undefined {
  const clauses: string[] = [];
  if (filter) clauses.push(filter);
  if (user) clauses.push(keyEquals(USER_KEY, user));
  if (session) clauses.push(keyEquals(SESSION_KEY, session));
  // The typed filter may OR at its top level; AND binds tighter.
  if (clauses.length > 1 && /\bOR\b/i.test(filter ?? '')) clauses[0] = `(${clauses[0]})`;
  return clauses.length ? clauses.join(' AND ') : undefined;
}

interface SessionRow {
  session_id: string;
  trace_count: number;
  users: string[];
  first_request_time: string;
  last_request_time: string;
  last_request_preview: string;
  total_tokens: number;
}

/** Newest-first infos → one row per session, most recently active first. */
function groupSessions(infos: readonly TraceInfo[]): SessionRow[] {
  const rows = new Map<string, SessionRow>();
  for (const info of infos) {
    const id = info.traceMetadata[TraceMetadataKey.TRACE_SESSION];
    if (id === undefined) continue;
    const time = new Date(info.requestTime).toISOString();
    let row = rows.get(id);
    if (!row) {
      row = { session_id: id, trace_count: 0, users: [], first_request_time: time, last_request_time: time, last_request_preview: info.requestPreview ?? '', total_tokens: 0 };
      rows.set(id, row);
    }
    row.trace_count++;
    if (time < row.first_request_time) row.first_request_time = time;
    const user = info.traceMetadata[TraceMetadataKey.TRACE_USER];
    if (user !== undefined && !row.users.includes(user)) row.users.push(user);
    try {
      row.total_tokens += Number(JSON.parse(info.traceMetadata[TraceMetadataKey.TOKEN_USAGE] ?? '{}').total_tokens) || 0;
    } catch {
      // not JSON: counted as no tokens
    }
  }
  return [...rows.values()];
}
