import { diagnose, type DiagnoseReport, type Finding } from '@tracewright/runtime/doctor';
import { resolve } from 'node:path';
import { parseAge, stringOpt, type Command } from '../command.js';
import { CliError, ExitCode } from '../errors.js';

const LABEL: Record<Finding['severity'], string> = { error: 'ERROR', warning: 'WARN ', info: 'info ' };

export function renderReport(report: DiagnoseReport): string {
  const lines = [`tracewright doctor: ${report.cwd}`, ''];
  for (const f of report.findings) {
    lines.push(`${LABEL[f.severity]} ${f.message}  [${f.id}]`);
    if (f.site !== undefined) lines.push(`      at  ${f.site}`);
    if (f.fix !== undefined) lines.push(`      fix ${f.fix}`);
  }
  if (report.findings.length) lines.push('');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(report.errors + report.warnings === 0 ? 'No problems found.' : `${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}.`);
  return lines.join('\n') + '\n';
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'find out why traces are not appearing (exit 1 on any error)',
  usage: `Usage: tracewright doctor [options]

Checks, in the project directory: where traces go (tracking URI, experiment) and whether that
store is writable or that server answers; sampling; the // @trace build step (tsconfig
plugin + ts-patch, bundler plugin, loader) and whether the built output has the rewritten
sites; the LLM SDK integrations (installed versions, autolog() used and awaited); duplicate
copies of @tracewright/runtime. Call diagnose() from '@tracewright/runtime/doctor' inside the
program to also check what happened at run time (dropped traces, open spans, autolog order).

      --json               the findings as JSON ({ cwd, errors, warnings, findings: [{ id, severity, message, fix, site }] })
  -C, --cwd <dir>          the project directory (default: the current directory)
      --timeout <time>     bound on each server probe, e.g. 3s (default 3s)

Exit status: 1 when any finding is an error, else 0.`,
  options: { json: { type: 'boolean' }, cwd: { type: 'string', short: 'C' }, timeout: { type: 'string' } },
  async run(values, _positionals, io) {
    const raw = stringOpt(values, 'timeout');
    const timeoutMs = raw === undefined ? undefined : parseAge(raw, '--timeout');
    if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new CliError(`--timeout must be more than 0, got '${raw}'`, ExitCode.USAGE);
    const report = await diagnose({ cwd: resolve(stringOpt(values, 'cwd') ?? '.'), timeoutMs, inProcess: false });
    io.out(values.json ? JSON.stringify(report, null, 2) + '\n' : renderReport(report));
    return report.errors > 0 ? 1 : ExitCode.OK;
  },
};
