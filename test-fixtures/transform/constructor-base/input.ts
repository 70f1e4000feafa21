class Account {
  // @trace
  constructor(public owner: string, private balance = 10) {
    if (balance < 0) throw new RangeError('negative balance');
  }
  get total() {
    return this.balance;
  }
}

export function run(log: (x: unknown) => void) {
  const a = new Account('ada');
  log(a instanceof Account);
  log(a.owner);
  try {
    new Account('bob', -1);
  } catch (e) {
    log(String(e));
  }
  return a.total;
}
