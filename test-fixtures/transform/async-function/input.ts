// @trace
async function fetchUser(id: number) {
  await new Promise((r) => setTimeout(r, 1));
  return { id, name: `user${id}` };
}

export async function run(log: (x: unknown) => void) {
  const p = fetchUser(1);
  log(p instanceof Promise);
  return await p;
}
