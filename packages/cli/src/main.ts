/**
 * `tracewright` entry point: picks the command, parses its options, runs it, and turns
 * failures into a message and an exit code (never a stack trace for the user's mistakes).
 */
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseCommandArgs, type Command, type Io } from './command.js';
import { deleteCommand } from './commands/delete.js';
import { doctorCommand } from './commands/doctor.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { searchCommand } from './commands/search.js';
import { showCommand } from './commands/show.js';
import { uiCommand } from './commands/ui.js';
import { CliError, ExitCode } from './errors.js';
import { terminalIo } from './render/terminal.js';

export const COMMANDS: readonly Command[] = [searchCommand, showCommand, exportCommand, importCommand, deleteCommand, uiCommand, doctorCommand];

const USAGE = `tracewright — see the traces your programs recorded (local store ./mlruns or an MLflow server)

Usage: tracewright <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(15)} ${c.summary}`).join('\n')}

Run "tracewright <command> --help" for its options.`;

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

/**
 * Filter/order-by errors: the runtime's FilterSyntaxError already shows position and caret;
 * errors from elsewhere (an MLflow server) get the caret here when they carry a position.
 */
function describeError(error: Error, argv: string[]): string {
  if (error.message.includes('\n')) return error.message;
  const position = (error as { position?: unknown }).position;
  const filterIndex = argv.findIndex((a) => a === '--filter' || a === '-f');
  const filter = filterIndex >= 0 ? argv[filterIndex + 1] : argv.find((a) => a.startsWith('--filter='))?.slice(9);
  let text = /filter|order/i.test(error.message) ? error.message : `invalid filter: ${error.message}`;
  if (typeof position === 'number' && filter !== undefined) {
    text += `\n  ${filter}\n  ${' '.repeat(Math.max(0, Math.min(position, filter.length)))}^`;
  }
  return text;
}

function isFilterError(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { errorCode?: unknown; position?: unknown };
  return e.name === 'FilterSyntaxError' || e.errorCode === 'INVALID_PARAMETER_VALUE' || typeof e.position === 'number';
}

function packageVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      return (createRequire(import.meta.url)(rel) as { name?: string; version: string }).version;
    } catch {
      // built layout (dist/esm) is one level deeper than src
    }
  }
  return 'unknown';
}

/**
 * Runs one command line. Everything it prints goes through terminalIo: trace content, store
 * contents and server messages can never reach the terminal as control characters.
 */
export async function main(argv: string[], rawIo: Io): Promise<number> {
  const io = terminalIo(rawIo);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(USAGE + '\n');
    return argv.length === 0 ? ExitCode.USAGE : ExitCode.OK;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.out(`${packageVersion()}\n`);
    return ExitCode.OK;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = COMMANDS.filter((c) => c.name.startsWith(argv[0] + ' '));
    const hint = group.length ? `'${argv[0]}' needs a subcommand: ${group.map((c) => c.name.split(' ')[1]).join(', ')}` : `unknown command '${argv.join(' ')}'`;
    io.err(`tracewright: ${hint}\n\n${USAGE}\n`);
    return ExitCode.USAGE;
  }
  try {
    const { values, positionals } = parseCommandArgs(found.command, found.rest);
    if (values.help) {
      io.out(found.command.usage + '\n');
      return ExitCode.OK;
    }
    return (await found.command.run(values, positionals, io)) ?? ExitCode.OK;
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`tracewright: ${error.message}\n`);
      return error.exitCode;
    }
    const e = error as NodeJS.ErrnoException & { status?: number };
    if (e?.name === 'SearchTimeoutError') {
      io.err(`tracewright: ${e.message.replace(/pass a larger timeoutMs/, 'pass a larger --timeout')}\n`);
      return ExitCode.UNAVAILABLE;
    }
    if (isFilterError(error)) {
      io.err(`tracewright: ${describeError(error, found.rest)}\n`);
      return ExitCode.USAGE;
    }
    if (e?.name === 'DeliveryFailure') {
      // An MLflow server's answer, already phrased as "<call> → HTTP <status>: <server message>".
      io.err(`tracewright: ${e.message}\n`);
      return e.status === 400 ? ExitCode.USAGE : e.status === 404 ? ExitCode.NOT_FOUND : ExitCode.UNAVAILABLE;
    }
    if (e?.name === 'HttpNetworkError' || e?.name === 'TimeoutError' || e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || (e instanceof TypeError && e.message === 'fetch failed')) {
      io.err(`tracewright: cannot reach the tracking server (${e.message}${e.cause ? ': ' + String((e.cause as Error).message ?? e.cause) : ''})\n`);
      return ExitCode.UNAVAILABLE;
    }
    io.err(`tracewright: internal error: ${e?.stack ?? String(error)}\n`);
    return ExitCode.INTERNAL;
  }
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  interactive: Boolean(process.stderr.isTTY),
};

/** Runs main on process.argv and exits once stdout is drained. */
export async function run(): Promise<void> {
  const code = await main(process.argv.slice(2), processIo);
  process.exitCode = code;
}

/** True when this file is the process entry (`node main.ts`, tsx), not imported by the bin or a test. */
function isEntry(): boolean {
  try {
    return !!process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}
if (isEntry()) void run();
