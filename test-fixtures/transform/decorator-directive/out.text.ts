import * as __tw$ from "@tracewright/runtime/inject"; // A directive between a decorator and its member names that member (issue 12 item 8).
const calls: string[] = [];

function logged<This, Args extends unknown[], R>(method: (this: This, ...args: Args) => R, context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => R>) {
  return function (this: This, ...args: Args): R {
    calls.push(`logged ${String(context.name)}`);
    return method.apply(this, args);
  };
}

function tagged<This, Args extends unknown[], R>(method: (this: This, ...args: Args) => R, _context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => R>) {
  return method;
}

class Greeter {
  constructor(private readonly greeting: string) {}

  @logged
  // @trace
  greet(name: string): string { let __tw$c0 = __tw$.context(); __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "greet", undefined, { name }); try {
    return __tw$.exit(__tw$c0, `${this.greeting}, ${name}`);
  } catch (__tw$e) { throw __tw$.fail(__tw$c0, __tw$e); } __tw$.exit(__tw$c0, undefined); }

  @logged
  // @trace(TOOL)
  static shout(text: string): string { let __tw$c1 = __tw$.context(); __tw$c1 = __tw$c1 === null ? undefined : __tw$.enterIn(__tw$c1, "shout", "TOOL", { text }); try {
    return __tw$.exit(__tw$c1, text.toUpperCase());
  } catch (__tw$e) { throw __tw$.fail(__tw$c1, __tw$e); } __tw$.exit(__tw$c1, undefined); }

  @tagged
  // a plain comment first
  // @trace
  @logged
  async later(n: number): Promise<number> { let __tw$c2 = __tw$.context(); __tw$c2 = __tw$c2 === null ? undefined : __tw$.enterIn(__tw$c2, "later", undefined, { n }); let __tw$h2; try {
    return __tw$.exit(__tw$c2, __tw$h2 = n + 1);
  } catch (__tw$e) { try { __tw$e = __tw$.fail(__tw$c2, __tw$e, __tw$h2); } catch { if (__tw$h2 !== undefined) try { await __tw$h2; } catch {} } throw __tw$e; } __tw$.exit(__tw$c2, undefined); }
}

export async function run(log: (x: unknown) => void) {
  const g = new Greeter('hello');
  log(g.greet('ada'));
  log(Greeter.shout('hey'));
  log(await g.later(1));
  log(calls);
  return calls.length;
}
