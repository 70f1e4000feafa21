/**
 * The `traces.json` artifact of a trace. Its location comes from the server's StartTraceV3
 * answer (tag `mlflow.artifactLocation`, spec §5.3, §8.4); only `mlflow-artifacts:` locations
 * (the server proxies the artifact store) can be written over HTTP.
 */
import { TraceTagKey } from '../../model/constants.js';
import { DeliveryFailure } from '../delivery/failure.js';

export const TRACE_DATA_FILE_NAME = 'traces.json';
const PROXY_SCHEME = 'mlflow-artifacts:';

/** `mlflow-artifacts:/1/traces/tr-x/artifacts` → `/api/2.0/mlflow-artifacts/artifacts/1/traces/tr-x/artifacts/traces.json`. */
export function artifactPathFor(tags: Record<string, string> | undefined, traceId: string): string {
  const location = tags?.[TraceTagKey.ARTIFACT_LOCATION];
  if (!location) {
    throw new DeliveryFailure(`the server returned no ${TraceTagKey.ARTIFACT_LOCATION} tag for ${traceId}; cannot store its spans`, 'rejected');
  }
  if (!location.startsWith(PROXY_SCHEME)) {
    throw new DeliveryFailure(
      `artifact location ${location} of ${traceId} is not served by the tracking server (needs \`mlflow server\` with artifact proxying, the default); spans not uploaded`,
      'rejected',
    );
  }
  // Both "mlflow-artifacts:/path" and "mlflow-artifacts://host:port/path" occur.
  let path = location.slice(PROXY_SCHEME.length);
  if (path.startsWith('//')) path = path.slice(path.indexOf('/', 2));
  path = path.replace(/^\/+/, '').replace(/\/+$/, '');
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `/api/2.0/mlflow-artifacts/artifacts/${encoded}/${TRACE_DATA_FILE_NAME}`;
}
