import * as __tw$ from "@tracewright/runtime/inject";
class Account {
    owner;
    balance;
    // @trace
    constructor(owner, balance = 10) {
        this.owner = owner;
        this.balance = balance;
        let __tw$c0 = __tw$.context();
        __tw$c0 = __tw$c0 === null ? undefined : __tw$.enterIn(__tw$c0, "Account", undefined, { owner, balance });
        try {
            if (balance < 0)
                throw new RangeError('negative balance');
        }
        catch (__tw$e) {
            throw __tw$.fail(__tw$c0, __tw$e);
        }
        __tw$.exit(__tw$c0, undefined);
    }
    get total() {
        return this.balance;
    }
}
export function run(log) {
    const a = new Account('ada');
    log(a instanceof Account);
    log(a.owner);
    try {
        new Account('bob', -1);
    }
    catch (e) {
        log(String(e));
    }
    return a.total;
}
