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
        return __tw$.fn("Derived", undefined, { id }, () => {
            this.tag = `${new.target.name}:${id}`;
        });
    }
}
export function run(log) {
    const d = new Derived(3);
    log(d.kind);
    log(d instanceof Derived);
    return d.tag;
}
