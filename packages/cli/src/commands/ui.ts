import { spawn } from 'node:child_process';
import { STORE_OPTION, STORE_USAGE, intOpt, stringOpt, type Command } from '../command.js';
import { CliError, ExitCode } from '../errors.js';
import { openSource } from '../source.js';
import { startViewer } from '../viewer/server.js';

function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}

export const uiCommand: Command = {
  name: 'ui',
  summary: 'start the local trace viewer',
  usage: `Usage: tracewright ui [options]

  -p, --port <N>        port (default 5000; 0 picks a free one)
      --host <addr>     interface to listen on (default 127.0.0.1)
      --open            open the viewer in the default browser
${STORE_USAGE}`,
  options: { ...STORE_OPTION, port: { type: 'string', short: 'p' }, host: { type: 'string' }, open: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const port = intOpt(values, 'port', 0, 65535) ?? 5000;
    const host = stringOpt(values, 'host') ?? '127.0.0.1';
    // The viewer may start before the first traced run: it lists traces as they arrive.
    const source = await openSource({ store: stringOpt(values, 'store'), mustExist: false });
    let viewer;
    try {
      viewer = await startViewer({ source, port, host });
    } catch (error) {
      await source.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new CliError(`port ${port} is already in use on ${host}; pass --port <other> (or --port 0 for any free port)`, ExitCode.UNAVAILABLE);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError(`cannot listen on --host ${host}: ${code}`, ExitCode.USAGE);
      throw error;
    }
    io.out(`tracewright viewer for ${source.description}\n  ${viewer.url}\n(press Ctrl+C to stop)\n`);
    // Also starts a search worker reading the store, ahead of the first page load.
    const empty = await viewer.hasTraces().then(
      (any) => !any,
      () => false, // the page shows the store's error itself
    );
    if (empty) io.err('no traces yet: run a traced program; the viewer lists them as they arrive\n');
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
      io.err(`warning: listening on ${host}: anyone who can reach this address can read your traces\n`);
    }
    if (values.open) openBrowser(viewer.url);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void viewer.close().then(() => source.close()).finally(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};
