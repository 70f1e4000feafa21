/** @tracewright/cli — the `tracewright` command and the local viewer, usable programmatically. */
export { main, run, COMMANDS } from './main.js';
export type { Io, Command } from './command.js';
export { CliError, ExitCode } from './errors.js';
export { startViewer, CONTENT_SECURITY_POLICY } from './viewer/server.js';
export type { Viewer, ViewerOptions } from './viewer/server.js';
export { openSource, resolveStoreLocation } from './source.js';
export type { TraceSource, ExperimentRef, SourceOptions } from './source.js';
export { renderTraceTree, buildSpanTree } from './render/tree.js';
export { summarize } from './summary.js';
export type { TraceSummary } from './summary.js';
