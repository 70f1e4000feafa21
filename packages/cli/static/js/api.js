// The viewer's JSON API.

/** JSON.parse that keeps ns timestamps exact (as strings) so durations can use BigInt. */
export function parseTraceJson(text) {
  return JSON.parse(text.replace(/"(start_time_unix_nano|end_time_unix_nano|time_unix_nano)"(\s*):(\s*)(-?\d+)/g, '"$1"$2:$3"$4"'));
}

export async function api(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
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
