import * as __tw$ from "@tracewright/runtime/inject";
class Account {
    owner;
    balance;
    // @trace
    constructor(owner, balance = 10) {
        this.owner = owner;
        this.balance = balance;
        return __tw$.fn("Account", undefined, { owner, balance }, () => {
            if (balance < 0)
                throw new RangeError('negative balance');
        });
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
