// A directive between a decorator and its member names that member (issue 12 item 8).
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
  greet(name: string): string {
    return `${this.greeting}, ${name}`;
  }

  @logged
  // @trace(TOOL)
  static shout(text: string): string {
    return text.toUpperCase();
  }

  @tagged
  // a plain comment first
  // @trace
  @logged
  async later(n: number): Promise<number> {
    return n + 1;
  }
}

export async function run(log: (x: unknown) => void) {
  const g = new Greeter('hello');
  log(g.greet('ada'));
  log(Greeter.shout('hey'));
  log(await g.later(1));
  log(calls);
  return calls.length;
}
