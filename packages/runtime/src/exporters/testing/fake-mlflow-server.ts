/**
 * Test-only: a loopback MLflow tracking server implementing the trace endpoints of
 * shared/spec/mlflow-trace-format.md §5–§6, strict about every request body (unknown or
 * missing fields are violations: answered 400 and recorded in `violations`), storing what it
 * receives, with fault injection on real sockets (status codes, delays, resets, bad bodies).
 *
 * Reusable by other packages' tests (CLI, viewer): `const s = await startFakeMlflowServer();
 * s.url` is a tracking URI; `s.traces` holds what arrived; `await s.close()`.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync, inflateSync, inflateRawSync } from 'node:zlib';
import { assessmentRoute, assessmentPredicate, assessmentSortAccessor, sessionIndex } from './fake-mlflow-assessments.js';
import { attributesOf, decodeOtlpJson, decodeOtlpProtobuf, type DecodedRequest, type DecodedSpan } from './otlp-official.js';

// ---------- stored model (MLflow's JSON forms) ----------

export interface StoredExperiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: 'active' | 'deleted';
}

/** A span as the server keeps it: v3-dict-like, with hex ids and JSON-encoded attribute strings. */
export interface StoredSpan {
  traceIdHex: string;
  spanIdHex: string;
  parentSpanIdHex: string | null;
  name: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  statusCode: 'STATUS_CODE_UNSET' | 'STATUS_CODE_OK' | 'STATUS_CODE_ERROR';
  statusMessage: string;
  attributes: Record<string, string>;
  events: Array<{ name: string; timeUnixNano: bigint; attributes: Record<string, unknown> }>;
}

export interface StoredTrace {
  info: Record<string, any>;
  /** Spans logged through /v1/traces (the "tracking store"). */
  spans: StoredSpan[];
  /** True once StartTraceV3 was received for it. */
  started: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** Body after Content-Encoding was undone. */
  body: Buffer;
  /** Arrival time (Date.now()) of the complete request. */
  at: number;
}

export type Fault =
  | { kind: 'status'; status: number; body?: string | Uint8Array; headers?: Record<string, string> }
  | { kind: 'delay'; ms: number }
  /** Destroy the socket before answering (after reading the request). */
  | { kind: 'reset' }
  /** Send headers and half a body, then destroy the socket. */
  | { kind: 'reset-mid-body' }
  /** 200 with a body that is not JSON. */
  | { kind: 'malformed' };

interface FaultRule {
  match: (req: RecordedRequest) => boolean;
  fault: Fault;
  remaining: number;
}

export interface FakeMlflowServerOptions {
  /** What GET /version answers (default "3.7.0"); OTLP is used by clients from 3.4. */
  version?: string;
  /** false: /v1/traces answers 501 like a file-store server (default true). */
  otlp?: boolean;
  /** Required Authorization header value, e.g. "Bearer t0k" (default: none required). */
  requireAuthorization?: string;
  /** Listen on this port (used to bring a "crashed" server back on the same URL). */
  port?: number;
}

const MAX_RESULTS_LIMIT = 500;

export class FakeMlflowServer {
  readonly experiments = new Map<string, StoredExperiment>();
  readonly traces = new Map<string, StoredTrace>();
  readonly artifacts = new Map<string, Buffer>();
  readonly requests: RecordedRequest[] = [];
  /** Every strictness failure, with the request it came from; tests assert this stays empty. */
  readonly violations: string[] = [];
  /** OTLP requests decoded with the official definitions, in arrival order. */
  readonly otlpRequests: Array<{ contentType: string; experimentId: string; decoded: DecodedRequest }> = [];
  private readonly faults: FaultRule[] = [];
  private readonly sockets = new Set<Socket>();
  private server: http.Server | undefined;
  private nextExperimentId = 1;
  port = 0;

  constructor(readonly options: FakeMlflowServerOptions = {}) {
    this.experiments.set('0', { experiment_id: '0', name: 'Default', artifact_location: 'mlflow-artifacts:/0', lifecycle_stage: 'active' });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests to `path` (exact) or matching a predicate. */
  requestsTo(path: string | ((r: RecordedRequest) => boolean)): RecordedRequest[] {
    return this.requests.filter(typeof path === 'string' ? (r) => r.path === path : path);
  }

  /** Applies `fault` to the next `times` requests matching `match` (a path prefix or predicate). */
  inject(match: string | ((r: RecordedRequest) => boolean), fault: Fault, times = 1): void {
    const fn = typeof match === 'string' ? (r: RecordedRequest) => r.path.startsWith(match) : match;
    this.faults.push({ match: fn, fault, remaining: times });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  async listen(): Promise<this> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    // Node's agent subtracts 1 s from the server's keep-alive hint: keep the default 5 s so
    // clients can reuse connections as they would with uvicorn/gunicorn.
    server.keepAliveTimeout = 5000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening and drops every open connection ("server down"); data is kept. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Brings a closed server back on the same port. */
  async restart(): Promise<this> {
    await this.close();
    this.options.port = this.port;
    return this.listen();
  }

  createExperiment(name: string, artifactLocation?: string): string {
    const id = String(this.nextExperimentId++);
    this.experiments.set(id, { experiment_id: id, name, artifact_location: artifactLocation ?? `mlflow-artifacts:/${id}`, lifecycle_stage: 'active' });
    return id;
  }

  // ---------- dispatch ----------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch {
      return; // client went away mid-body
    }
    const url = new URL(req.url ?? '/', 'http://x');
    let body: Buffer;
    try {
      body = decodeContentEncoding(raw, req.headers['content-encoding']);
    } catch (error) {
      return this.reply(res, 400, { detail: `Failed to decompress request body: ${(error as Error).message}` });
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, at: Date.now() };
    this.requests.push(recorded);

    const rule = this.faults.find((f) => f.remaining > 0 && f.match(recorded));
    if (rule) {
      rule.remaining--;
      const fault = rule.fault;
      switch (fault.kind) {
        case 'status':
          res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
          res.end(fault.body ?? JSON.stringify({ error_code: 'INTERNAL_ERROR', message: `injected ${fault.status}` }));
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'reset-mid-body':
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
          res.write('{"trace": {"trace_in');
          setTimeout(() => req.socket.destroy(), 5);
          return;
        case 'malformed':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('<html>502 Bad Gateway from a proxy</html>');
          return;
        case 'delay':
          await new Promise((r) => setTimeout(r, fault.ms));
          if (req.socket.destroyed) return;
          break;
      }
    }

    if (this.options.requireAuthorization && url.pathname !== '/health' && req.headers.authorization !== this.options.requireAuthorization) {
      return this.reply(res, 401, { error_code: 'UNAUTHENTICATED', message: 'You are not authenticated. Please see the documentation.' });
    }
    try {
      await this.route(recorded, res);
    } catch (error) {
      if (error instanceof Violation) {
        this.violations.push(`${recorded.method} ${recorded.path}: ${error.message}`);
        return this.reply(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: error.message });
      }
      if (error instanceof ApiError) return this.reply(res, error.status, error.body);
      this.reply(res, 500, { error_code: 'INTERNAL_ERROR', message: String(error) });
    }
  }

  private reply(res: http.ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
    if (res.headersSent || res.destroyed) return;
    const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': contentType });
    res.end(text);
  }

  private async route(r: RecordedRequest, res: http.ServerResponse): Promise<void> {
    const { method, path } = r;
    if (method === 'GET' && path === '/version') return this.reply(res, 200, this.options.version ?? '3.7.0', 'text/plain');
    if (method === 'GET' && path === '/health') return this.reply(res, 200, 'OK', 'text/plain');
    if (method === 'POST' && path === '/v1/traces') return this.otlpIngest(r, res);
    if (path.startsWith('/api/2.0/mlflow-artifacts/artifacts/')) return this.artifact(r, res);
    const api = /^\/(?:api|ajax-api)\/(2\.0|3\.0)\/mlflow\/(.+)$/.exec(path);
    if (!api) throw new ApiError(404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No endpoint ${method} ${path}` });
    const [, , rest] = api;
    if (method === 'GET' && rest === 'experiments/get-by-name') return this.reply(res, 200, this.getExperimentByName(r));
    if (method === 'GET' && rest === 'experiments/get') return this.reply(res, 200, this.getExperiment(r));
    if (method === 'POST' && rest === 'experiments/create') return this.reply(res, 200, this.createExperimentRoute(r));
    if (method === 'POST' && rest === 'experiments/delete') return this.reply(res, 200, this.deleteExperimentRoute(r));
    if (method === 'POST' && rest === 'traces' && path.startsWith('/api/3.0')) return this.reply(res, 200, this.startTraceV3(r));
    if (method === 'POST' && rest === 'traces/search') return this.reply(res, 200, this.searchTraces(r));
    if (method === 'GET' && rest === 'traces/get') return this.reply(res, 200, this.getTraceWithSpans(r));
    if (method === 'POST' && rest === 'traces/delete-traces') return this.reply(res, 200, this.deleteTraces(r));
    if (method === 'GET' && rest === 'get-trace-artifact') return this.getTraceArtifact(r, res);
    const assessment = /^traces\/(tr-[0-9a-f]{32})\/assessments(?:\/([^/]+))?$/.exec(rest);
    if (assessment && path.startsWith('/api/3.0')) {
      const trace = this.mustGetTrace(assessment[1]!);
      return this.reply(res, 200, assessmentRoute(r, trace.info, assessment[2] === undefined ? undefined : decodeURIComponent(assessment[2])));
    }
    const info = /^traces\/(tr-[0-9a-f]{32})$/.exec(rest);
    if (method === 'GET' && info) return this.reply(res, 200, { trace: { trace_info: this.mustGetTrace(info[1]!).info } });
    throw new ApiError(404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No endpoint ${method} ${path}` });
  }

  // ---------- experiments ----------

  private getExperimentByName(r: RecordedRequest) {
    expectQuery(r, ['experiment_name'], ['experiment_name']);
    const name = r.query.get('experiment_name')!;
    const found = [...this.experiments.values()].find((e) => e.name === name);
    if (!found) throw notFound(`Could not find experiment with name '${name}'`);
    return { experiment: found };
  }

  private getExperiment(r: RecordedRequest) {
    expectQuery(r, ['experiment_id'], ['experiment_id']);
    const found = this.experiments.get(r.query.get('experiment_id')!);
    if (!found) throw notFound(`No Experiment with id=${r.query.get('experiment_id')} exists`);
    return { experiment: found };
  }

  private createExperimentRoute(r: RecordedRequest) {
    const body = jsonBody(r);
    expectKeys(body, '$', ['name'], ['name', 'artifact_location', 'tags']);
    expectString(body.name, '$.name');
    if ([...this.experiments.values()].some((e) => e.name === body.name)) {
      throw new ApiError(400, { error_code: 'RESOURCE_ALREADY_EXISTS', message: `Experiment '${body.name}' already exists.` });
    }
    if (body.artifact_location !== undefined) expectString(body.artifact_location, '$.artifact_location');
    if (body.tags !== undefined && !Array.isArray(body.tags)) throw new Violation('$.tags must be a list of {key, value}');
    return { experiment_id: this.createExperiment(body.name, body.artifact_location) };
  }

  private deleteExperimentRoute(r: RecordedRequest) {
    const body = jsonBody(r);
    expectKeys(body, '$', ['experiment_id'], ['experiment_id']);
    expectString(body.experiment_id, '$.experiment_id');
    const found = this.experiments.get(body.experiment_id);
    if (!found) throw notFound(`No Experiment with id=${body.experiment_id} exists`);
    found.lifecycle_stage = 'deleted';
    return {};
  }

  // ---------- traces ----------

  private startTraceV3(r: RecordedRequest) {
    const body = jsonBody(r);
    expectKeys(body, '$', ['trace'], ['trace']);
    expectKeys(body.trace, '$.trace', ['trace_info'], ['trace_info', 'spans']);
    if (body.trace.spans !== undefined && (!Array.isArray(body.trace.spans) || body.trace.spans.length > 0)) {
      throw new Violation('$.trace.spans must be absent or an empty list in StartTraceV3');
    }
    const info = body.trace.trace_info;
    validateTraceInfo(info, '$.trace.trace_info');
    const experimentId = info.trace_location.mlflow_experiment.experiment_id;
    if (!this.experiments.has(experimentId)) throw notFound(`No Experiment with id=${experimentId} exists`);
    const existing = this.traces.get(info.trace_id);
    const tags: Record<string, string> = { ...existing?.info.tags, ...info.tags };
    tags['mlflow.artifactLocation'] = `${this.experiments.get(experimentId)!.artifact_location}/traces/${info.trace_id}/artifacts`;
    if (existing?.spans.length) tags['mlflow.trace.spansLocation'] = 'TRACKING_STORE';
    else tags['mlflow.trace.spansLocation'] = 'ARTIFACT_REPO';
    const stored = { ...info, trace_metadata: { ...existing?.info.trace_metadata, ...info.trace_metadata }, tags };
    this.traces.set(info.trace_id, { info: stored, spans: existing?.spans ?? [], started: true });
    return { trace: { trace_info: stored } };
  }

  private mustGetTrace(traceId: string): StoredTrace {
    const t = this.traces.get(traceId);
    if (!t) throw notFound(`Trace with ID ${traceId} not found.`);
    return t;
  }

  private searchTraces(r: RecordedRequest) {
    const body = jsonBody(r);
    expectKeys(body, '$', ['locations'], ['locations', 'filter', 'max_results', 'order_by', 'page_token']);
    if (!Array.isArray(body.locations) || body.locations.length === 0) throw new Violation('$.locations must be a non-empty list');
    const experimentIds = body.locations.map((loc: any, i: number) => {
      validateLocation(loc, `$.locations[${i}]`);
      return loc.mlflow_experiment.experiment_id as string;
    });
    const max = body.max_results ?? 100;
    if (!Number.isInteger(max) || max < 1) throw new Violation('$.max_results must be a positive integer');
    if (max > MAX_RESULTS_LIMIT) {
      throw new ApiError(400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Invalid value ${max} for parameter 'max_results' supplied. It must be at most ${MAX_RESULTS_LIMIT}` });
    }
    if (body.filter !== undefined) expectString(body.filter, '$.filter');
    if (body.order_by !== undefined && (!Array.isArray(body.order_by) || body.order_by.some((o: unknown) => typeof o !== 'string'))) {
      throw new Violation('$.order_by must be a list of strings');
    }
    const predicate = compileFilter(body.filter ?? '');
    const inScope = [...this.traces.values()].map((t) => t.info).filter((info) => experimentIds.includes(info.trace_location.mlflow_experiment.experiment_id));
    const sessions = sessionIndex(inScope);
    let rows = inScope.filter((info) => predicate(info, sessions));
    rows = sortInfos(rows, body.order_by ?? ['timestamp_ms DESC']);
    const offset = body.page_token ? Number(Buffer.from(body.page_token, 'base64').toString('utf8')) : 0;
    const page = rows.slice(offset, offset + max);
    const out: Record<string, unknown> = { traces: page };
    if (offset + max < rows.length) out.next_page_token = Buffer.from(String(offset + max)).toString('base64');
    return out;
  }

  private getTraceWithSpans(r: RecordedRequest) {
    expectQuery(r, ['trace_id'], ['trace_id', 'allow_partial']);
    const t = this.mustGetTrace(r.query.get('trace_id')!);
    return { trace: { trace_info: t.info, spans: t.spans.map(spanToProtoJson) } };
  }

  private deleteTraces(r: RecordedRequest) {
    const body = jsonBody(r);
    expectKeys(body, '$', ['experiment_id'], ['experiment_id', 'max_timestamp_millis', 'max_traces', 'request_ids']);
    let deleted = 0;
    for (const [id, t] of this.traces) {
      if (t.info.trace_location.mlflow_experiment.experiment_id !== body.experiment_id) continue;
      const byId = body.request_ids?.includes(id);
      const byTime = body.max_timestamp_millis !== undefined && Date.parse(t.info.request_time) <= body.max_timestamp_millis;
      if (byId || byTime) {
        this.traces.delete(id);
        deleted++;
      }
    }
    return { traces_deleted: deleted };
  }

  private getTraceArtifact(r: RecordedRequest, res: http.ServerResponse): void {
    const id = r.query.get('request_id') ?? '';
    const t = this.mustGetTrace(id);
    const path = artifactKey(t.info.tags['mlflow.artifactLocation']);
    const data = this.artifacts.get(path);
    if (!data) throw notFound(`No artifact traces.json for ${id}`);
    this.reply(res, 200, data);
  }

  // ---------- artifacts ----------

  private artifact(r: RecordedRequest, res: http.ServerResponse): void {
    const key = decodeURIComponent(r.path.slice('/api/2.0/mlflow-artifacts/artifacts/'.length));
    if (r.method === 'PUT') {
      if (key.endsWith('/traces.json')) validateTraceData(r.body, key);
      this.artifacts.set(key, r.body);
      return this.reply(res, 200, {});
    }
    if (r.method === 'GET') {
      const data = this.artifacts.get(key);
      if (!data) throw notFound(`Artifact ${key} not found`);
      return this.reply(res, 200, data, 'application/octet-stream');
    }
    throw new ApiError(405, { error_code: 'BAD_REQUEST', message: `${r.method} not allowed on artifacts` });
  }

  // ---------- OTLP ----------

  private otlpIngest(r: RecordedRequest, res: http.ServerResponse): void {
    if (this.options.otlp === false) {
      return this.reply(res, 501, { detail: 'REST OTLP span logging is not supported by FileStore' });
    }
    const experimentId = r.headers['x-mlflow-experiment-id'];
    if (typeof experimentId !== 'string' || experimentId === '') {
      this.violations.push('POST /v1/traces: missing x-mlflow-experiment-id header');
      return this.reply(res, 422, { detail: [{ type: 'missing', loc: ['header', 'x-mlflow-experiment-id'], msg: 'Field required' }] });
    }
    const contentType = String(r.headers['content-type'] ?? '').split(';')[0]!.trim();
    let decoded: DecodedRequest;
    try {
      if (contentType === 'application/x-protobuf') decoded = decodeOtlpProtobuf(r.body);
      else if (contentType === 'application/json') decoded = decodeOtlpJson(r.body.toString('utf8'));
      else return this.reply(res, 400, { detail: 'Invalid Content-Type' });
    } catch (error) {
      this.violations.push(`POST /v1/traces: undecodable ${contentType}: ${(error as Error).message}`);
      return this.reply(res, 400, { detail: `Failed to parse OpenTelemetry protobuf: ${(error as Error).message}` });
    }
    this.otlpRequests.push({ contentType, experimentId, decoded });
    const spans = decoded.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    if (spans.length === 0) return this.reply(res, 400, { detail: 'no spans found' });
    if (!this.experiments.has(experimentId)) throw notFound(`No Experiment with id=${experimentId} exists`);
    for (const span of spans) this.logSpan(experimentId, span);
    res.writeHead(200, { 'content-type': 'application/x-protobuf' });
    res.end();
  }

  /** Like the server's OTLP route: store the span; a root span (re)builds the trace info row. */
  private logSpan(experimentId: string, span: DecodedSpan): void {
    for (const [field, len] of [['traceId', 32], ['spanId', 16]] as const) {
      if (typeof span[field] !== 'string' || span[field].length !== len) this.violations.push(`OTLP span ${field} must be ${len / 2} bytes, got ${span[field]}`);
    }
    const traceId = `tr-${span.traceId}`;
    const decodedAttrs = attributesOf(span.attributes);
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(decodedAttrs)) attributes[k] = typeof v === 'string' ? v : JSON.stringify(v);
    attributes['mlflow.traceRequestId'] ??= JSON.stringify(traceId);
    const stored: StoredSpan = {
      traceIdHex: span.traceId,
      spanIdHex: span.spanId,
      parentSpanIdHex: span.parentSpanId || null,
      name: span.name,
      startTimeUnixNano: BigInt(span.startTimeUnixNano ?? 0),
      endTimeUnixNano: BigInt(span.endTimeUnixNano ?? 0),
      statusCode: (['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const)[span.status?.code ?? 0] ?? 'STATUS_CODE_UNSET',
      statusMessage: span.status?.message ?? '',
      attributes,
      events: (span.events ?? []).map((e) => ({ name: e.name, timeUnixNano: BigInt(e.timeUnixNano ?? 0), attributes: attributesOf(e.attributes) })),
    };
    const trace = this.traces.get(traceId) ?? { info: this.placeholderInfo(traceId, experimentId), spans: [], started: false };
    trace.spans = trace.spans.filter((s) => s.spanIdHex !== stored.spanIdHex).concat(stored);
    if (!stored.parentSpanIdHex && !trace.started) this.rebuildInfoFromRoot(trace, stored, experimentId);
    trace.info.tags['mlflow.trace.spansLocation'] = 'TRACKING_STORE';
    this.traces.set(traceId, trace);
  }

  private placeholderInfo(traceId: string, experimentId: string): Record<string, any> {
    return {
      trace_id: traceId,
      trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } },
      request_time: new Date(0).toISOString(),
      state: 'IN_PROGRESS',
      trace_metadata: { 'mlflow.trace_schema.version': '3' },
      tags: { 'mlflow.artifactLocation': `${this.experiments.get(experimentId)?.artifact_location}/traces/${traceId}/artifacts` },
    };
  }

  /** What MLflow's OTLP route derives from a root span (spec §5.5, §4.1). */
  private rebuildInfoFromRoot(trace: StoredTrace, root: StoredSpan, experimentId: string): void {
    const startMs = Number(root.startTimeUnixNano / 1_000_000n);
    const endMs = Number(root.endTimeUnixNano / 1_000_000n);
    const info = trace.info;
    info.trace_location = { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } };
    info.request_time = new Date(startMs).toISOString();
    info.execution_duration = `${(endMs - startMs) / 1000}s`;
    info.state = root.statusCode === 'STATUS_CODE_ERROR' ? 'ERROR' : 'OK';
    const preview = (raw: string | undefined) => (raw === undefined ? undefined : raw.length > 1000 ? `${raw.slice(0, 997)}...` : raw);
    if (root.attributes['mlflow.spanInputs'] !== undefined) info.request_preview = preview(root.attributes['mlflow.spanInputs']);
    if (root.attributes['mlflow.spanOutputs'] !== undefined) info.response_preview = preview(root.attributes['mlflow.spanOutputs']);
    const plain = (v: string) => v; // user.id / session.id / traceTag values are plain strings
    if (root.attributes['user.id'] !== undefined) info.trace_metadata['mlflow.trace.user'] = plain(root.attributes['user.id']);
    if (root.attributes['session.id'] !== undefined) info.trace_metadata['mlflow.trace.session'] = plain(root.attributes['session.id']);
    for (const [k, v] of Object.entries(root.attributes)) {
      if (k.startsWith('mlflow.traceTag.')) info.tags[k.slice('mlflow.traceTag.'.length)] = v;
    }
  }
}

export async function startFakeMlflowServer(options: FakeMlflowServerOptions = {}): Promise<FakeMlflowServer> {
  return new FakeMlflowServer({ ...options }).listen();
}

// ---------- validation helpers ----------

export class Violation extends Error {}
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(JSON.stringify(body));
  }
}
export const notFound = (message: string) => new ApiError(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message });

export function jsonBody(r: RecordedRequest): any {
  const type = String(r.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) throw new Violation(`Content-Type must be application/json, got ${JSON.stringify(type)}`);
  try {
    return JSON.parse(r.body.toString('utf8'));
  } catch (error) {
    throw new Violation(`body is not JSON: ${(error as Error).message}`);
  }
}

export function expectKeys(obj: unknown, path: string, required: string[], allowed: string[]): asserts obj is Record<string, any> {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Violation(`${path} must be an object`);
  for (const key of required) if ((obj as any)[key] === undefined) throw new Violation(`${path}.${key} is required`);
  for (const key of Object.keys(obj)) if (!allowed.includes(key)) throw new Violation(`${path}.${key} is not a known field`);
}

function expectQuery(r: RecordedRequest, required: string[], allowed: string[]): void {
  for (const key of required) if (!r.query.get(key)) throw new Violation(`query parameter ${key} is required`);
  for (const key of r.query.keys()) if (!allowed.includes(key)) throw new Violation(`query parameter ${key} is not known`);
}

export function expectString(v: unknown, path: string): asserts v is string {
  if (typeof v !== 'string') throw new Violation(`${path} must be a string, got ${JSON.stringify(v)}`);
}

export function expectStringMap(v: unknown, path: string): void {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Violation(`${path} must be an object of strings`);
  for (const [k, value] of Object.entries(v)) expectString(value, `${path}[${JSON.stringify(k)}]`);
}

function validateLocation(loc: any, path: string): void {
  expectKeys(loc, path, ['type', 'mlflow_experiment'], ['type', 'mlflow_experiment']);
  if (loc.type !== 'MLFLOW_EXPERIMENT') throw new Violation(`${path}.type must be MLFLOW_EXPERIMENT`);
  expectKeys(loc.mlflow_experiment, `${path}.mlflow_experiment`, ['experiment_id'], ['experiment_id']);
  expectString(loc.mlflow_experiment.experiment_id, `${path}.mlflow_experiment.experiment_id`);
}

const TRACE_INFO_FIELDS = [
  'trace_id',
  'client_request_id',
  'trace_location',
  'request_preview',
  'response_preview',
  'request_time',
  'execution_duration',
  'state',
  'trace_metadata',
  'assessments',
  'tags',
];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function validateTraceInfo(info: any, path: string): void {
  expectKeys(info, path, ['trace_id', 'trace_location', 'request_time', 'state'], TRACE_INFO_FIELDS);
  if (!/^tr-[0-9a-f]{32}$/.test(info.trace_id)) throw new Violation(`${path}.trace_id must be tr-<32 hex>, got ${JSON.stringify(info.trace_id)}`);
  validateLocation(info.trace_location, `${path}.trace_location`);
  if (typeof info.request_time !== 'string' || !RFC3339.test(info.request_time)) {
    throw new Violation(`${path}.request_time must be an RFC 3339 string, got ${JSON.stringify(info.request_time)}`);
  }
  if (info.execution_duration !== undefined && !/^-?\d+(\.\d{1,9})?s$/.test(String(info.execution_duration))) {
    throw new Violation(`${path}.execution_duration must look like "1.234s", got ${JSON.stringify(info.execution_duration)}`);
  }
  if (!['OK', 'ERROR', 'IN_PROGRESS'].includes(info.state)) throw new Violation(`${path}.state must be OK, ERROR or IN_PROGRESS, got ${JSON.stringify(info.state)}`);
  for (const key of ['client_request_id', 'request_preview', 'response_preview']) if (info[key] !== undefined) expectString(info[key], `${path}.${key}`);
  if (info.trace_metadata !== undefined) expectStringMap(info.trace_metadata, `${path}.trace_metadata`);
  if (info.tags !== undefined) expectStringMap(info.tags, `${path}.tags`);
  for (const serverOnly of ['mlflow.artifactLocation', 'mlflow.trace.spansLocation']) {
    if (info.tags?.[serverOnly] !== undefined) throw new Violation(`${path}.tags must not carry the server-set tag ${serverOnly}`);
  }
  if (info.assessments !== undefined && !Array.isArray(info.assessments)) throw new Violation(`${path}.assessments must be a list`);
}

const SPAN_FIELDS = ['trace_id', 'span_id', 'parent_span_id', 'name', 'start_time_unix_nano', 'end_time_unix_nano', 'status', 'attributes', 'events', 'links'];

function validateTraceData(body: Buffer, key: string): void {
  let data: any;
  try {
    // Exact ns integers must be JSON numbers; only their validity is checked here.
    data = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new Violation(`${key} is not JSON: ${(error as Error).message}`);
  }
  expectKeys(data, key, ['spans'], ['spans']);
  if (!Array.isArray(data.spans)) throw new Violation(`${key}.spans must be a list`);
  data.spans.forEach((span: any, i: number) => {
    const p = `${key}.spans[${i}]`;
    expectKeys(span, p, SPAN_FIELDS.filter((f) => f !== 'links' && f !== 'parent_span_id'), SPAN_FIELDS);
    if (Buffer.from(span.trace_id, 'base64').length !== 16) throw new Violation(`${p}.trace_id must be base64 of 16 bytes`);
    if (Buffer.from(span.span_id, 'base64').length !== 8) throw new Violation(`${p}.span_id must be base64 of 8 bytes`);
    if (typeof span.start_time_unix_nano !== 'number') throw new Violation(`${p}.start_time_unix_nano must be a JSON integer`);
    expectKeys(span.status, `${p}.status`, ['code'], ['code', 'message']);
    if (!['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'].includes(span.status.code)) throw new Violation(`${p}.status.code invalid`);
    expectStringMap(span.attributes, `${p}.attributes`);
    if (!span.attributes['mlflow.traceRequestId']) throw new Violation(`${p}.attributes["mlflow.traceRequestId"] is missing`);
  });
}

// ---------- search helpers ----------

type Predicate = (info: Record<string, any>, sessions: Map<string, any[]>) => boolean;

/** The AND-only subset of MLflow's trace filter grammar (spec §6); OR is rejected like the server does. */
function compileFilter(filter: string): Predicate {
  const text = filter.trim();
  if (!text) return () => true;
  if (/\s+OR\s+/i.test(text)) throw new ApiError(400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Invalid clause(s) in filter string: 'OR'` });
  const clauses = text.split(/\s+AND\s+/i).map((clause): Predicate => {
    const assessmentClause = assessmentPredicate(clause);
    if (assessmentClause) return assessmentClause;
    const m = /^([\w.]+(?:\.`[^`]+`|\.[\w.]+)?)\s*(=|!=|<=|>=|<|>)\s*('(?:[^']*)'|-?\d+(?:\.\d+)?)$/.exec(clause.trim());
    if (!m) throw new ApiError(400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Invalid filter clause '${clause}'` });
    const [, ident, op, literal] = m;
    const value = literal!.startsWith("'") ? literal!.slice(1, -1) : Number(literal);
    const get = accessor(ident!);
    return (info: Record<string, any>) => compare(get(info), op!, value);
  });
  return (info, sessions) => clauses.every((c) => c(info, sessions));
}

function accessor(ident: string): (info: Record<string, any>) => unknown {
  const m = /^(tags?|metadata|request_metadata)\.(?:`([^`]+)`|(.+))$/.exec(ident);
  if (m) {
    const key = m[2] ?? m[3]!;
    return m[1]!.startsWith('tag') ? (i) => i.tags?.[key] : (i) => i.trace_metadata?.[key];
  }
  const attr = ident.replace(/^(trace|attributes)\./, '');
  switch (attr) {
    case 'status':
      return (i) => i.state;
    case 'timestamp_ms':
    case 'timestamp':
      return (i) => Date.parse(i.request_time);
    case 'execution_time_ms':
    case 'execution_time':
      return (i) => Math.round(parseFloat(i.execution_duration ?? '0') * 1000);
    case 'name':
      return (i) => i.tags?.['mlflow.traceName'];
    case 'request_id':
      return (i) => i.trace_id;
    case 'run_id':
      return (i) => i.trace_metadata?.['mlflow.sourceRun'];
    default:
      throw new ApiError(400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Invalid attribute key '${ident}'` });
  }
}

function compare(actual: unknown, op: string, expected: string | number): boolean {
  if (actual === undefined) return false;
  const a = typeof expected === 'number' ? Number(actual) : String(actual);
  switch (op) {
    case '=':
      return a === expected;
    case '!=':
      return a !== expected;
    case '<':
      return a < expected;
    case '<=':
      return a <= expected;
    case '>':
      return a > expected;
    default:
      return a >= expected;
  }
}

function sortInfos(rows: Record<string, any>[], orderBy: string[]): Record<string, any>[] {
  const keys = orderBy.map((o) => {
    const [field, dir] = o.trim().split(/\s+/);
    return { get: assessmentSortAccessor(field!) ?? accessor(field!), desc: (dir ?? 'ASC').toUpperCase() === 'DESC' };
  });
  return rows.sort((x, y) => {
    for (const k of keys) {
      const a = k.get(x) as number | string;
      const b = k.get(y) as number | string;
      // Rows without the value sort last in both directions (outer join).
      if (a === undefined || b === undefined) {
        if (a !== b) return a === undefined ? 1 : -1;
        continue;
      }
      if (a < b) return k.desc ? 1 : -1;
      if (a > b) return k.desc ? -1 : 1;
    }
    return String(x.trace_id) < String(y.trace_id) ? -1 : 1;
  });
}

// ---------- encoding helpers ----------

function artifactKey(location: string): string {
  return `${location.replace(/^mlflow-artifacts:\/+/, '')}/traces.json`;
}

/** Protobuf JSON of an OTel span as MLflow's GetTrace renders it: snake_case, base64 ids, typed AnyValue. */
function spanToProtoJson(s: StoredSpan): Record<string, unknown> {
  const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
  const anyValue = (v: unknown): Record<string, unknown> => {
    if (typeof v === 'string') return { string_value: v };
    if (typeof v === 'boolean') return { bool_value: v };
    if (typeof v === 'number') return Number.isInteger(v) ? { int_value: v } : { double_value: v };
    if (Array.isArray(v)) return { array_value: { values: v.map(anyValue) } };
    if (v && typeof v === 'object') return { kvlist_value: { values: Object.entries(v).map(([key, x]) => ({ key, value: anyValue(x) })) } };
    return {};
  };
  // The Python server decodes MLflow's JSON-encoded attribute strings before converting.
  const decode = (raw: string) => {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  };
  const out: Record<string, unknown> = {
    trace_id: b64(s.traceIdHex),
    span_id: b64(s.spanIdHex),
    name: s.name,
    start_time_unix_nano: s.startTimeUnixNano.toString(),
    end_time_unix_nano: s.endTimeUnixNano.toString(),
    attributes: Object.entries(s.attributes).map(([key, v]) => ({ key, value: anyValue(decode(v)) })),
    events: s.events.map((e) => ({ time_unix_nano: e.timeUnixNano.toString(), name: e.name, attributes: Object.entries(e.attributes).map(([key, v]) => ({ key, value: anyValue(v) })) })),
    status: s.statusMessage ? { code: s.statusCode, message: s.statusMessage } : { code: s.statusCode },
  };
  if (s.parentSpanIdHex) out.parent_span_id = b64(s.parentSpanIdHex);
  return out;
}

function decodeContentEncoding(body: Buffer, encoding: string | string[] | undefined): Buffer {
  const enc = String(encoding ?? '').trim().toLowerCase();
  if (!enc || enc === 'identity') return body;
  if (enc === 'gzip') return gunzipSync(body);
  if (enc === 'deflate') {
    try {
      return inflateSync(body);
    } catch {
      return inflateRawSync(body);
    }
  }
  throw new Error(`Unsupported Content-Encoding: ${enc}`);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('aborted')));
  });
}
