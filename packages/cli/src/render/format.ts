/** Small text formatters shared by the table and the tree. */

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1) return `${(ms * 1000).toFixed(0)}µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : ms.toFixed(0)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${Math.round((ms % 60_000) / 1000)}s`;
}

/** Trace infos carry whole milliseconds: 0 means "under one". */
export function formatInfoDuration(ms: number | undefined): string {
  return ms === 0 ? '<1ms' : formatDuration(ms);
}

/** Local wall-clock time, `YYYY-MM-DD HH:MM:SS`. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * One-line abridgement of a value for terminal output: JSON, whitespace collapsed, cut at
 * `max` characters. Control characters are escaped so trace content cannot drive the
 * terminal (ANSI escapes in LLM output are untrusted too).
 */
export function abridge(value: unknown, max: number): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  text = sanitizeForTerminal(text.replace(/\s+/g, ' ').trim());
  return text.length > max ? text.slice(0, Math.max(0, max - 1)) + '…' : text;
}

/** Replaces C0/C1 control characters (ESC, BEL, CSI...) with visible escapes. */
export function sanitizeForTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
