/**
 * Request parameters as recorded on a span: credentials never reach a span. The SDKs keep the
 * API key in the client and in request headers, which we never record (only the request body
 * is); this also drops credential-named fields a caller may put at the top of the body or in
 * header maps inside it (e.g. `extra_headers`). Nested user data (tool schemas, messages) is
 * left as is.
 */
const SECRET_KEY = /^(api[-_]?key|x-api-key|authorization|proxy-authorization|password|secret|client[-_]?secret|access[-_]?token)$/i;
const HEADERS_KEY = /headers$/i;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function withoutSecrets(params: unknown): unknown {
  if (!isPlainObject(params)) return params;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (SECRET_KEY.test(key)) continue;
    out[key] = HEADERS_KEY.test(key) ? withoutSecrets(value) : value;
  }
  return out;
}

/**
 * The credentials among `values` (strings only: a key supplier function is never called), for
 * `CallDescription.secrets`. Reading them never throws.
 */
export function secretStrings(read: () => unknown[]): string[] {
  try {
    return read().filter((v): v is string => typeof v === 'string' && v.length >= 8);
  } catch {
    return [];
  }
}
