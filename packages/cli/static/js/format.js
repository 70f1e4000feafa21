// Decoding and formatting of trace values for display.

export function decode(raw) {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function parseDuration(d) {
  if (d === undefined || d === null) return undefined;
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(String(d));
  return m ? Number(m[1]) * 1000 : undefined;
}

export function formatDuration(ms) {
  if (ms === undefined || ms === null || !Number.isFinite(ms)) return '–';
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)}ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(2)}s`;
  return `${Math.floor(ms / 60000)}m${Math.round((ms % 60000) / 1000)}s`;
}

/** Trace infos carry whole milliseconds: 0 means "under one". */
export function formatInfoDuration(ms) {
  return ms === 0 ? '<1ms' : formatDuration(ms);
}

export function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  return d.toLocaleString(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatCost(usd) {
  if (usd === undefined || usd === null || !Number.isFinite(Number(usd))) return undefined;
  const n = Number(usd);
  return `$${n < 0.01 ? n.toFixed(6) : n.toFixed(4)}`;
}

export function objectOf(v) {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}
