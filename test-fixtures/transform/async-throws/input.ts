class NotFound extends Error {
  constructor(readonly id: number) {
    super(`no item ${id}`);
    this.name = 'NotFound';
  }
}

// @trace
async function load(id: number): Promise<string> {
  await null;
  throw new NotFound(id);
}

export async function run(log: (x: unknown) => void) {
  try {
    await load(9);
  } catch (e) {
    log(e instanceof NotFound);
    log((e as NotFound).id);
    throw e;
  }
}
