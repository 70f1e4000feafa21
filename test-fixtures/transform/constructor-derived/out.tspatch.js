import * as __tw$ from "@tracewright/runtime/inject";
class Base {
    kind;
    constructor(kind) {
        this.kind = kind;
    }
}
class Derived extends Base {
    id;
    tag;
    // @trace
    constructor(id) {
        super('derived');
        this.id = id;
        let __tw$c0 = __tw$.context();
        __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "Derived", undefined, { id });
        try {
            this.tag = `${new.target.name}:${id}`;
        }
        catch (__tw$e) {
            throw __tw$.fail(__tw$c0, __tw$e);
        }
        __tw$.exit(__tw$c0, undefined);
    }
}
export function run(log) {
    const d = new Derived(3);
    log(d.kind);
    log(d instanceof Derived);
    return d.tag;
}
