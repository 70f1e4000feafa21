/**
 * What a tracking URI means here (spec §7.2): a local store directory (plain path, `file:`
 * URI, or nothing: ./mlruns) or an MLflow tracking server (`http(s)://`). Anything else is
 * rejected with the list of what is supported, instead of silently tracing nowhere.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const DEFAULT_LOCAL_STORE_DIR = 'mlruns';

export type TrackingTarget = { kind: 'local'; root: string; uri: string } | { kind: 'mlflow'; uri: string };

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

export function parseTrackingUri(raw: string | undefined, where = 'tracking URI'): TrackingTarget {
  if (raw !== undefined && typeof raw !== 'string') {
    throw new TypeError(`${where}: expected a string, got ${typeof raw}`);
  }
  const uri = raw?.trim() ?? '';
  if (uri === '') return local(resolve(DEFAULT_LOCAL_STORE_DIR));
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  // "C:\traces" / "C:/traces": a Windows drive letter, not a scheme.
  if (scheme === undefined || (scheme.length === 1 && /^[a-zA-Z]:[\\/]/.test(uri))) return local(resolve(uri));
  if (scheme === 'http' || scheme === 'https') {
    try {
      new URL(uri);
    } catch {
      throw new TypeError(`${where}: ${JSON.stringify(uri)} is not a valid URL`);
    }
    return { kind: 'mlflow', uri: uri.replace(/\/+$/, '') };
  }
  if (scheme === 'file') {
    // file:///abs/path (URL form) or file:relative/path, file:./mlruns (MLflow accepts both).
    if (uri.startsWith('file://')) {
      try {
        return local(fileURLToPath(uri));
      } catch (error) {
        throw new TypeError(`${where}: ${JSON.stringify(uri)} is not a valid file: URI (${(error as Error).message})`);
      }
    }
    const path = decodeURIComponent(uri.slice('file:'.length));
    return local(isAbsolute(path) ? path : resolve(path));
  }
  const hint =
    scheme === 'sqlite' || scheme === 'postgresql' || scheme === 'mysql' || scheme === 'mssql'
      ? ' (a database store needs an MLflow server: run `mlflow server --backend-store-uri ' + uri + '` and use its http:// URL)'
      : scheme === 'databricks'
        ? ' (Databricks workspaces are not supported yet)'
        : '';
  throw new TypeError(
    `${where}: unsupported scheme "${scheme}:" in ${JSON.stringify(uri)}${hint}. ` +
      'Supported: a directory path or file: URI (local store, default ./mlruns), or an http(s):// MLflow tracking server.',
  );
}

function local(root: string): TrackingTarget {
  return { kind: 'local', root, uri: pathToFileURL(root).href };
}
