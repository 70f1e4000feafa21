// @trace(BOGUS)
function unknownType() { return 1; }

// @trace({ spanType: SpanType.NOPE })
function unknownMember() { return 2; }

let flag = true;
// @trace
if (flag) flag = false;

class Box {
  #v = 1;
  // @trace
  get value() { return this.#v; }
}

// @trace({ name: 
function brokenArgs() { return 3; }

// @trace
const notAFunction = 42;

export function run(log: (x: unknown) => void) {
  log(flag);
  return [unknownType(), unknownMember(), new Box().value, brokenArgs(), notAFunction];
}
