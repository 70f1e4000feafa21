/**
 * Where OTLP goes and how, from options or the standard OpenTelemetry variables (signal-
 * specific ones win): OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used verbatim) or
 * OTEL_EXPORTER_OTLP_ENDPOINT (+ "/v1/traces"), *_HEADERS, *_PROTOCOL, *_COMPRESSION, *_TIMEOUT.
 */
import { reportInternalError } from '../../core/diagnostics.js';
import { parseKeyValueList } from './resource.js';
import { processEnv } from '../../platform/env.js';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface ResolvedOtlpConfig {
  url: URL;
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  compression: 'gzip' | 'none';
  timeoutMs: number;
}

export interface OtlpConfigInput {
  endpoint?: string;
  headers?: Record<string, string>;
  protocol?: OtlpProtocol;
  compression?: 'gzip' | 'none';
  timeoutMs?: number;
}

const DEFAULT_ENDPOINT = 'http://localhost:4318/v1/traces';
const TRACES_PATH = '/v1/traces';

export function resolveOtlpConfig(input: OtlpConfigInput, env: NodeJS.ProcessEnv = processEnv()): ResolvedOtlpConfig {
  return {
    url: resolveEndpoint(input.endpoint, env),
    headers: {
      ...parseKeyValueList(env.OTEL_EXPORTER_OTLP_HEADERS),
      ...parseKeyValueList(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS),
      ...input.headers,
    },
    protocol: resolveProtocol(input.protocol, env),
    compression: resolveCompression(input.compression, env),
    timeoutMs: resolveTimeout(input.timeoutMs, env),
  };
}

function resolveEndpoint(option: string | undefined, env: NodeJS.ProcessEnv): URL {
  // An explicit option is a full traces URL, unless it is a bare origin.
  if (option !== undefined) return parseUrl(option, 'endpoint', (u) => (u.pathname === '/' ? appendTracesPath(u) : u));
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return parseUrl(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', (u) => u);
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return parseUrl(env.OTEL_EXPORTER_OTLP_ENDPOINT, 'OTEL_EXPORTER_OTLP_ENDPOINT', appendTracesPath);
  return new URL(DEFAULT_ENDPOINT);
}

function appendTracesPath(u: URL): URL {
  const out = new URL(u.href);
  out.pathname = out.pathname.replace(/\/+$/, '') + TRACES_PATH;
  return out;
}

function parseUrl(raw: string, what: string, adjust: (u: URL) => URL): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new TypeError(`OTLP ${what} must be an absolute http(s) URL, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`OTLP ${what} must use http: or https: (OTLP/gRPC is not supported), got ${JSON.stringify(raw)}`);
  }
  return adjust(url);
}

function resolveProtocol(option: OtlpProtocol | undefined, env: NodeJS.ProcessEnv): OtlpProtocol {
  if (option !== undefined) {
    if (option !== 'http/protobuf' && option !== 'http/json') {
      throw new TypeError(`OTLP protocol must be 'http/protobuf' or 'http/json', got ${JSON.stringify(option)}`);
    }
    return option;
  }
  const raw = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || '').trim();
  if (raw === '' || raw === 'http/protobuf') return 'http/protobuf';
  if (raw === 'http/json') return 'http/json';
  // Like MLflow's TS SDK: grpc is not available here; say so once and use protobuf over HTTP.
  reportInternalError('OTLP protocol', new Error(`unsupported OTEL_EXPORTER_OTLP_PROTOCOL ${JSON.stringify(raw)}; using http/protobuf`));
  return 'http/protobuf';
}

function resolveCompression(option: 'gzip' | 'none' | undefined, env: NodeJS.ProcessEnv): 'gzip' | 'none' {
  const raw = option ?? (env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION || env.OTEL_EXPORTER_OTLP_COMPRESSION || 'gzip');
  return raw.trim().toLowerCase() === 'none' ? 'none' : 'gzip';
}

function resolveTimeout(option: number | undefined, env: NodeJS.ProcessEnv): number {
  if (option !== undefined) return option;
  const raw = Number(env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT || env.OTEL_EXPORTER_OTLP_TIMEOUT);
  return Number.isFinite(raw) && raw > 0 ? raw : 10_000;
}
