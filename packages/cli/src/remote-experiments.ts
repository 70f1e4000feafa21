/**
 * Experiment listing on an MLflow tracking server (`POST /api/2.0/mlflow/experiments/search`),
 * which the runtime's MLflow destination does not need and so does not expose. Auth comes from
 * the variables MLflow's SDKs read: MLFLOW_TRACKING_USERNAME/_PASSWORD (Basic) or
 * MLFLOW_TRACKING_TOKEN (Bearer), and MLFLOW_WORKSPACE.
 */
import type { ExperimentRef } from './source.js';

function headersFrom(env: NodeJS.ProcessEnv, url: URL): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  if (env.MLFLOW_TRACKING_USERNAME && env.MLFLOW_TRACKING_PASSWORD) headers.authorization = basic(env.MLFLOW_TRACKING_USERNAME, env.MLFLOW_TRACKING_PASSWORD);
  else if (env.MLFLOW_TRACKING_TOKEN) headers.authorization = `Bearer ${env.MLFLOW_TRACKING_TOKEN}`;
  else if (url.username) headers.authorization = basic(decodeURIComponent(url.username), decodeURIComponent(url.password));
  if (env.MLFLOW_WORKSPACE) headers['x-mlflow-workspace'] = env.MLFLOW_WORKSPACE;
  return headers;
}

export async function listRemoteExperiments(trackingUri: string, env: NodeJS.ProcessEnv = process.env): Promise<ExperimentRef[]> {
  const base = new URL(trackingUri);
  const headers = headersFrom(env, base);
  base.username = '';
  base.password = '';
  const endpoint = `${base.href.replace(/\/+$/, '')}/api/2.0/mlflow/experiments/search`;
  const experiments: ExperimentRef[] = [];
  let pageToken: string | undefined;
  do {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ max_results: 1000, view_type: 'ACTIVE_ONLY', ...(pageToken ? { page_token: pageToken } : {}) }),
      signal: AbortSignal.timeout(Number(env.MLFLOW_HTTP_REQUEST_TIMEOUT) || 30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST /api/2.0/mlflow/experiments/search → HTTP ${response.status}: ${text.slice(0, 300)}`);
    const body = JSON.parse(text) as { experiments?: Array<{ experiment_id: string; name: string }>; next_page_token?: string };
    for (const e of body.experiments ?? []) experiments.push({ experimentId: String(e.experiment_id), name: String(e.name) });
    pageToken = body.next_page_token || undefined;
  } while (pageToken);
  return experiments;
}
