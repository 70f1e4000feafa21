/**
 * The local trace viewer: a JSON API over a TraceSource plus the static front end, on
 * node:http. Everything in a trace is untrusted (LLM output), so the page is served with a
 * strict Content-Security-Policy and the front end only ever sets text, never HTML. Reads of
 * a local store run in worker threads (search-pool.ts): a slow or hostile filter never holds
 * up the other requests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, extname, join } from 'node:path';
import { DEFAULT_SEARCH_TIMEOUT_MS, diffTraces } from '@tracewright/runtime';
import type { TraceSource } from '../source.js';
import { SearchPool } from './search-pool.js';
import { listFilter, runSearchRoute, type SearchRequest } from './search-routes.js';
import { addAssessment, checkWriteRequest, newWriteToken, readLimitedBody, WriteError } from './write-routes.js';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/** The static files served, by extension: anything else in static/ is not. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', // module scripts load only with a JavaScript type (nosniff)
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

type Asset = { body: Buffer; type: string };

/**
 * Every servable file under static/ (the front end's ES modules live in subfolders), read once at
 * start. Requests are answered from this map by exact path, so no request path ever reaches the
 * file system: nothing outside static/ can be named, and symlinks and dotfiles are skipped.
 */
function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (folder: string, urlPrefix: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const file = join(folder, entry.name);
      if (entry.isDirectory()) walk(file, `${urlPrefix}${entry.name}/`);
      else if (entry.isFile() && Object.hasOwn(CONTENT_TYPES, extname(entry.name))) {
        assets.set(urlPrefix + entry.name, { body: readFileSync(file), type: CONTENT_TYPES[extname(entry.name)]! });
      }
    }
  };
  walk(dir, '/');
  const index = assets.get('/index.html');
  if (index) assets.set('/', index);
  return assets;
}

/** packages/cli/static, found from src/viewer (tsx, tests) or dist/esm/viewer (built). */
export function staticDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'static', 'index.html'))) return join(dir, 'static');
    dir = dirname(dir);
  }
  throw new Error('tracewright viewer: static assets (static/index.html) not found next to the CLI package');
}

export interface ViewerOptions {
  source: TraceSource;
  port?: number;
  /** Default 127.0.0.1: traces hold user data; exposing them is an explicit choice. */
  host?: string;
  /** Time budget of each search (default: searchTraces' 10 s). */
  searchTimeoutMs?: number;
  /**
   * Worker threads searching a local store (default 2; 0 searches on the request thread). A
   * search still running at twice its budget plus 10 s has its worker replaced.
   */
  searchWorkers?: number;
}

export interface Viewer {
  url: string;
  server: Server;
  /** True once the source holds a trace (asked the way the page asks, off the request thread). */
  hasTraces(): Promise<boolean>;
  close(): Promise<void>;
}

const MAX_PAGE = 500;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = status === 404 ? 'RESOURCE_DOES_NOT_EXIST' : 'INVALID_PARAMETER_VALUE',
  ) {
    super(message);
  }
}

/** A path segment; malformed percent-encoding is the client's mistake (400), not ours. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `malformed percent-encoding in the request path: '${segment}'`);
  }
}

/** Search errors caused by the request (bad filter / order_by / token) become 400s with the parser's message. */
function isBadInput(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ((error as { errorCode?: unknown }).errorCode === 'INVALID_PARAMETER_VALUE') return true;
  if (error.name === 'DeliveryFailure' && (error as { status?: unknown }).status === 400) return true; // MLflow server said 400
  return /SyntaxError|InvalidFilter|Invalid|PageToken/i.test(error.name) || 'position' in error || /^(invalid|unknown|unsupported|expected)/i.test(error.message);
}

export async function startViewer(options: ViewerOptions): Promise<Viewer> {
  const { source } = options;
  const host = options.host ?? '127.0.0.1';
  const dir = staticDir();
  // The experiment list is re-read at most once a second: new experiments appear while the viewer runs.
  let experimentCache: { at: number; ids: string[] | undefined } | undefined;
  const allExperimentIds = async (): Promise<string[] | undefined> => {
    const now = Date.now();
    if (!experimentCache || now - experimentCache.at > 1000) {
      experimentCache = { at: now, ids: await source.allExperimentIds() };
    }
    return experimentCache.ids;
  };
  const assets = loadAssets(dir);
  const writeToken = newWriteToken();

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
    res.end(body);
  };
  const sendJson = (res: ServerResponse, status: number, body: string) => send(res, status, 'application/json; charset=utf-8', body);

  const timeoutMs = options.searchTimeoutMs;
  const workers = options.searchWorkers ?? 2;
  const pool =
    source.localStoreDir !== undefined && workers > 0
      ? new SearchPool({ storeDir: source.localStoreDir, size: workers, killAfterMs: 2 * (timeoutMs ?? DEFAULT_SEARCH_TIMEOUT_MS) + 10_000 })
      : undefined;
  const search = (request: SearchRequest): Promise<string> => (pool ? pool.run(request) : runSearchRoute(source, request));

  const api = async (url: URL): Promise<string> => {
    const path = url.pathname;
    const q = url.searchParams;
    if (path === '/api/experiments') {
      const experiments = await source.listExperiments();
      return JSON.stringify({ experiments: experiments.map((e) => ({ experiment_id: e.experimentId, name: e.name })) });
    }
    if (path === '/api/traces') {
      const maxRaw = q.get('max') ?? '50';
      const max = Number(maxRaw);
      if (!Number.isInteger(max) || max < 1 || max > MAX_PAGE) throw new HttpError(400, `max must be an integer between 1 and ${MAX_PAGE}, got '${maxRaw}'`);
      const experiment = q.get('experiment_id');
      const orderBy = q.getAll('order_by').filter(Boolean);
      return search({
        route: 'traces',
        experimentIds: experiment ? [experiment] : await allExperimentIds(),
        filter: listFilter(q.get('filter') || undefined, q.get('user') || undefined, q.get('session') || undefined),
        orderBy: orderBy.length ? orderBy : undefined,
        max,
        pageToken: q.get('page_token') || undefined,
        timeoutMs,
      });
    }
    // Same-origin pages read it; no CORS header lets another origin read it (see write-routes.ts).
    if (path === '/api/token') return JSON.stringify({ token: writeToken });
    if (path === '/api/diff') {
      const [a, b] = [q.get('a'), q.get('b')];
      if (!a || !b) throw new HttpError(400, 'give the two trace ids as ?a=<id>&b=<id>');
      const [ta, tb] = await Promise.all([source.getTrace(a), source.getTrace(b)]);
      if (!ta || !tb) throw new HttpError(404, `trace ${!ta ? a : b} not found`);
      return JSON.stringify(diffTraces(ta, tb));
    }
    const traceMatch = /^\/api\/traces\/([^/]+)$/.exec(path);
    if (traceMatch) return search({ route: 'trace', traceId: decodeSegment(traceMatch[1]!) });
    if (path === '/api/sessions') return search({ route: 'sessions', experimentIds: await allExperimentIds(), timeoutMs });
    const sessionMatch = /^\/api\/sessions\/([^/]+)$/.exec(path);
    if (sessionMatch) {
      return search({ route: 'session', sessionId: decodeSegment(sessionMatch[1]!), experimentIds: await allExperimentIds(), timeoutMs });
    }
    throw new HttpError(404, `no API route ${path}`, 'ENDPOINT_NOT_FOUND');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, port: number) => {
    // A page on another origin could reach 127.0.0.1 through DNS rebinding; only answer to our own names.
    const hostHeader = req.headers.host ?? '';
    if (host === '127.0.0.1' || host === 'localhost' || host === '::1') {
      const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
      if (!allowed.includes(hostHeader)) return send(res, 403, 'text/plain; charset=utf-8', `unexpected Host header '${hostHeader}'\n`);
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://viewer.invalid');
    } catch {
      return send(res, 400, 'text/plain; charset=utf-8', 'malformed request URL\n');
    }
    const writeMatch = /^\/api\/traces\/([^/]+)\/assessments$/.exec(url.pathname);
    if (req.method === 'POST' && writeMatch) {
      try {
        checkWriteRequest(req, writeToken);
        const created = await addAssessment(source.assessments, decodeSegment(writeMatch[1]!), await readLimitedBody(req));
        return sendJson(res, 201, JSON.stringify({ assessment: created }));
      } catch (error) {
        const status = error instanceof WriteError || error instanceof HttpError ? error.status : 500;
        const code = error instanceof WriteError || error instanceof HttpError ? error.code : 'INTERNAL_ERROR';
        // An over-long body is refused before it is read: the connection cannot be reused.
        if (status === 413) res.setHeader('Connection', 'close');
        return sendJson(res, status, JSON.stringify({ error_code: code, message: (error as Error).message }));
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { Allow: writeMatch ? 'GET, HEAD, POST' : 'GET, HEAD' });
    if (url.pathname.startsWith('/api/')) {
      try {
        return sendJson(res, 200, await api(url));
      } catch (error) {
        if (error instanceof HttpError) return sendJson(res, error.status, JSON.stringify({ error_code: error.code, message: error.message }));
        const code = (error as { errorCode?: unknown })?.errorCode;
        if (code === 'DEADLINE_EXCEEDED' || code === 'RESOURCE_DOES_NOT_EXIST') {
          return sendJson(res, code === 'DEADLINE_EXCEEDED' ? 504 : 404, JSON.stringify({ error_code: code, message: (error as Error).message }));
        }
        if (isBadInput(error)) return sendJson(res, 400, JSON.stringify({ error_code: 'INVALID_PARAMETER_VALUE', message: (error as Error).message }));
        return sendJson(res, 500, JSON.stringify({ error_code: 'INTERNAL_ERROR', message: String((error as Error)?.message ?? error) }));
      }
    }
    const asset = assets.get(url.pathname);
    if (!asset) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    return send(res, 200, asset.type, asset.body);
  };

  const server = createServer((req, res) => {
    const port = (server.address() as AddressInfo).port;
    handle(req, res, port).catch((error) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `internal error: ${(error as Error).message}\n`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 5000, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    server,
    hasTraces: async () => (JSON.parse(await search({ route: 'traces', max: 1 })) as { traces: unknown[] }).traces.length > 0,
    close: async () => {
      await pool?.close();
      await new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      });
    },
  };
}
