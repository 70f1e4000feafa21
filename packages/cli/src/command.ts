/** What every command module provides, and the argument parsing they share. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './errors.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal: progress may redraw in place. */
  readonly interactive: boolean;
}

/** What commands write through: out/err escape every line for the terminal (render/terminal.ts). */
export interface CommandIo extends Io {
  /** Replaces the current stderr line (progress on a terminal). */
  redraw(text: string): void;
}

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  /** e.g. "traces search" */
  name: string;
  summary: string;
  usage: string;
  options: Options;
  /** Positionals allowed: [min, max]. */
  positionals?: [number, number];
  run(values: Values, positionals: string[], io: CommandIo): Promise<number | void>;
}

export const STORE_OPTION: Options = {
  store: { type: 'string', short: 's' },
};
export const STORE_USAGE = '  -s, --store <dir|url>  local store directory or MLflow server URL (default: $MLFLOW_TRACKING_URI or ./mlruns)';

export function parseCommandArgs(command: Command, args: string[]): { values: Values; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    // node's messages name the option ("Unknown option '--x'"); add where to look.
    throw new CliError(`${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}\n\n${command.usage}`, 2);
  }
  const [min, max] = command.positionals ?? [0, 0];
  const n = parsed.positionals.length;
  if (!parsed.values.help && (n < min || n > max)) {
    const what = n < min ? 'missing argument' : `unexpected argument '${parsed.positionals[max]}'`;
    throw new CliError(`${command.name}: ${what}\n\n${command.usage}`, 2);
  }
  return { values: parsed.values as Values, positionals: parsed.positionals };
}

export function stringOpt(values: Values, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

export function intOpt(values: Values, key: string, min: number, max: number): number | undefined {
  const raw = stringOpt(values, key);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError(`--${key} must be an integer between ${min} and ${max}, got '${raw}'`, 2);
  }
  return n;
}

export const TIMEOUT_OPTION: Options = { timeout: { type: 'string' } };
export const TIMEOUT_USAGE = '      --timeout <time>     time budget of each search of the local store, e.g. 30s, 2m (default 10s)';

/** `--timeout`: the searchTraces time budget in ms, or undefined for the default. */
export function timeoutOpt(values: Values): number | undefined {
  const raw = stringOpt(values, 'timeout');
  if (raw === undefined) return undefined;
  const ms = parseAge(raw, '--timeout');
  if (!(ms > 0)) throw new CliError(`--timeout must be more than 0, got '${raw}'`, 2);
  return ms;
}

/** "7d", "12h", "30m", "45s", "2w" → milliseconds. */
export function parseAge(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) throw new CliError(`${flag} expects an age such as 30m, 12h, 7d or 2w, got '${text}'`, 2);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'ms'];
  return Number(m[1]) * unit;
}

/** Progress on stderr: redrawn in place on a terminal, otherwise a line every `every` items. */
export function progress(io: CommandIo, label: string, every = 1000): { update(n: number): void; done(text: string): void } {
  let lastLine = 0;
  return {
    update(n) {
      if (io.interactive) io.redraw(`${label} ${n}…`);
      else if (n - lastLine >= every) {
        lastLine = n;
        io.err(`${label} ${n}…\n`);
      }
    },
    done(text) {
      if (io.interactive) io.redraw('');
      io.err(`${text}\n`);
    },
  };
}
