import * as __tw$ from "@tracewright/runtime/inject"; class NotFound extends Error {
  constructor(readonly id: number) {
    super(`no item ${id}`);
    this.name = 'NotFound';
  }
}

// @trace
async function load(id: number): Promise<string> { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "load", undefined, { id }); let __tw$h0; try {
  __tw$.back(await __tw$.leave(__tw$h0 = null, __tw$c0), __tw$c0);
  throw new NotFound(id);
} catch (__tw$e) { try { __tw$e = __tw$.fail(__tw$c0, __tw$e, __tw$h0); } catch { if (__tw$h0 !== undefined) try { await __tw$h0; } catch {} } throw __tw$e; } __tw$.exit(__tw$c0, undefined); }

export async function run(log: (x: unknown) => void) {
  try {
    await load(9);
  } catch (e) {
    log(e instanceof NotFound);
    log((e as NotFound).id);
    throw e;
  }
}
