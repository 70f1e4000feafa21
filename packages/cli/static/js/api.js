// The viewer's JSON API.

/** JSON.parse that keeps ns timestamps exact (as strings) so durations can use BigInt. */
export function parseTraceJson(text) {
  return JSON.parse(text.replace(/"(start_time_unix_nano|end_time_unix_nano|time_unix_nano)"(\s*):(\s*)(-?\d+)/g, '"$1"$2:$3"$4"'));
}

export async function api(path) {
  return readReply(await fetch(path, { headers: { Accept: 'application/json' } }));
}

/** The reply's text; a non-2xx reply throws with the server's message and status. */
async function readReply(res) {
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      message = JSON.parse(text).message ?? text;
    } catch {}
    const error = new Error(message);
    error.status = res.status;
    throw error;
  }
  return text;
}

let writeToken;

/** POSTs JSON with the viewer's per-run write token (GET /api/token; another origin cannot read it). */
export async function postJson(path, body) {
  writeToken ??= JSON.parse(await api('/api/token')).token;
  const res = await fetch(path, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-Tracewright-Token': writeToken },
    body: JSON.stringify(body),
  });
  return JSON.parse(await readReply(res));
}
