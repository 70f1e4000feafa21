// @trace
function configure({ host, port: p = 80, ...extra }: { host: string; port?: number; [k: string]: unknown }, [first, , third]: string[]) {
  return `${host}:${p} ${Object.keys(extra).join()} ${first}${third}`;
}

export function run(log: (x: unknown) => void) {
  log(configure.length);
  return configure({ host: 'h', debug: true }, ['a', 'b', 'c']);
}
