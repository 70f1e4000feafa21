/**
 * The one place where text meets the terminal. Trace content (LLM output, imported traces,
 * custom span types), store contents (experiment names) and server messages are untrusted:
 * an ESC could drive the terminal (colours, titles, OSC 8 links, cursor moves), a BEL ring it,
 * a NUL or CR hide what follows, and a bidi override (U+202E) visually reverse the neighbouring
 * fields. Every such character is printed as a visible `\uXXXX` escape instead — the JSON escape,
 * so escaped JSON documents stay valid JSON with the same value.
 */
import type { CommandIo, Io } from '../command.js';

/**
 * C0 controls (tab, CR and LF included), DEL, C1 controls, Arabic letter mark, LRM/RLM, the
 * bidi embeddings/overrides/isolates, and the Unicode line/paragraph separators.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One field for a one-line layout: every unsafe character (newline included) made visible. */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** A multi-line document (JSON, an error message): line breaks kept, every line escaped. */
export function escapeLinesForTerminal(text: string): string {
  return text.split('\n').map(escapeForTerminal).join('\n');
}

/** `io` for commands: everything written is escaped line by line; only `redraw` emits controls (CR, erase line). */
export function terminalIo(io: Io): CommandIo {
  return {
    out: (text) => io.out(escapeLinesForTerminal(text)),
    err: (text) => io.err(escapeLinesForTerminal(text)),
    interactive: io.interactive,
    redraw: (text) => io.err(`\r${escapeForTerminal(text)}\x1b[K`),
  };
}
