/**
 * How to talk to one MLflow tracking server: base URL (a reverse-proxy prefix is kept), auth
 * and workspace headers, request timeout — all from the tracking URI and the same variables
 * MLflow's SDKs read (spec §5.1, §7.1).
 */
import { bytesToBase64, utf8Encode } from '../../platform/bytes.js';
import { processEnv } from '../../platform/env.js';

export interface MlflowConnection {
  /** Tracking URI without trailing slash, e.g. "http://localhost:5000" or "https://host/mlflow". */
  baseUrl: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function resolveConnection(trackingUri: string, timeoutMs: number | undefined, env: NodeJS.ProcessEnv = processEnv()): MlflowConnection {
  if (typeof trackingUri !== 'string' || trackingUri.trim() === '') {
    throw new TypeError('createMlflowDestination: "trackingUri" must be an http(s) URL such as "http://localhost:5000"');
  }
  let url: URL;
  try {
    url = new URL(trackingUri.trim());
  } catch {
    throw new TypeError(`createMlflowDestination: "trackingUri" must be an http(s) URL, got ${JSON.stringify(trackingUri)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(
      `createMlflowDestination: "trackingUri" must be an http(s) URL of an MLflow tracking server, got ${JSON.stringify(trackingUri)} (file and database URIs need \`mlflow server\`)`,
    );
  }
  url.search = '';
  url.hash = '';
  const headers = authHeaders(env);
  // Credentials in the URI (http://user:pass@host) become Basic auth unless the env sets auth;
  // either way they are removed from the base URL, which appears in logs.
  if (url.username && !headers.authorization) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    headers.authorization = `Basic ${bytesToBase64(utf8Encode(`${user}:${password}`))}`;
  }
  url.username = '';
  url.password = '';
  return {
    baseUrl: url.href.replace(/\/+$/, ''),
    headers,
    timeoutMs: timeoutMs ?? timeoutFromEnv(env.MLFLOW_HTTP_REQUEST_TIMEOUT),
  };
}

/** Basic (username + password) wins over a bearer token, as in both reference SDKs (spec §8.16). */
export function authHeaders(env: NodeJS.ProcessEnv): Record<string, string> {
  const headers: Record<string, string> = {};
  const user = env.MLFLOW_TRACKING_USERNAME;
  const password = env.MLFLOW_TRACKING_PASSWORD;
  if (user && password) {
    headers.authorization = `Basic ${bytesToBase64(utf8Encode(`${user}:${password}`))}`;
  } else if (env.MLFLOW_TRACKING_TOKEN) {
    headers.authorization = `Bearer ${env.MLFLOW_TRACKING_TOKEN}`;
  }
  if (env.MLFLOW_WORKSPACE) headers['x-mlflow-workspace'] = env.MLFLOW_WORKSPACE;
  return headers;
}

/**
 * MLFLOW_HTTP_REQUEST_TIMEOUT is milliseconds in MLflow's TS SDK but seconds in Python
 * (spec §8.15). A value under 1000 cannot be a sensible millisecond timeout for a tracking
 * server, so it is read as seconds: both camps get what they meant.
 */
export function timeoutFromEnv(raw: string | undefined): number {
  const n = Number(raw);
  if (!raw || !Number.isFinite(n) || n <= 0) return DEFAULT_TIMEOUT_MS;
  return n < 1000 ? n * 1000 : n;
}
