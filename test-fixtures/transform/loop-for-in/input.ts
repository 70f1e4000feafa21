export function run(log: (x: unknown) => void) {
  const obj = { x: 1, y: 2 };
  const keys: string[] = [];
  // @trace
  for (const key in obj) keys.push(key);
  log(keys);
  return keys.length;
}
