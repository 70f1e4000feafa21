// `tracewright-rewrite <srcDir> <outDir> [--check]`
import { formatDiagnostic, hasErrors } from './diagnostics.js';
import { rewriteTree } from './tree.js';

const USAGE = `usage: tracewright-rewrite <srcDir> <outDir>    rewrite annotated files, copy the rest
       tracewright-rewrite <srcDir> --check       list directives and problems, write nothing`;

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

const processIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/** Runs the CLI; returns the exit code (1: a directive could not be applied, 2: bad usage). */
export function runCli(argv: readonly string[], io: CliIo = processIo): number {
  const check = argv.includes('--check');
  const positional = argv.filter((a) => !a.startsWith('--'));
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--check');
  const wanted = positional.length === 2 || (check && positional.length === 1);
  if (unknown.length > 0 || !wanted) {
    if (unknown.length > 0) io.stderr(`tracewright-rewrite: unknown option ${unknown.join(', ')}`);
    io.stderr(USAGE);
    return 2;
  }
  const [srcDir, outDir] = positional as [string, string | undefined];
  let report;
  try {
    report = rewriteTree({ srcDir, outDir: check ? undefined : outDir, listSites: check });
  } catch (error) {
    io.stderr(`tracewright-rewrite: ${(error as Error).message}`);
    return 2;
  }
  const diagnostics = report.files.flatMap((f) => f.diagnostics);
  for (const diagnostic of diagnostics) io.stderr(`${diagnostic.severity}: ${formatDiagnostic(diagnostic)}`);
  if (check) {
    for (const file of report.files) {
      for (const site of file.sites) io.stdout(`${file.path}:${site.line}:${site.column}: ${site.kind} ${site.name}`);
    }
    const count = report.files.reduce((n, f) => n + f.sites.length, 0);
    io.stdout(`tracewright-rewrite: ${count} traced site(s) in ${report.files.filter((f) => f.sites.length > 0).length} file(s)`);
  } else {
    io.stdout(`tracewright-rewrite: ${report.rewritten} rewritten, ${report.copied} copied into ${outDir}`);
  }
  return hasErrors(diagnostics) ? 1 : 0;
}
