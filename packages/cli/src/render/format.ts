/** Small text formatters shared by the table and the tree. */
import { escapeForTerminal } from './terminal.js';

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
 * `max` characters, escaped for the terminal (render/terminal.ts).
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
  text = escapeForTerminal(text.replace(/\s+/g, ' ').trim());
  return text.length > max ? text.slice(0, Math.max(0, max - 1)) + '…' : text;
}
