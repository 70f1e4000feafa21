// immer with its draft traps traced: the program routes immer's Proxy handlers through a
// handler class whose traps are traced (what a user annotating immer's traps gets). The
// draft proxy is among the traps' own arguments. Untraced it terminates with the new state.
import { produce } from 'immer';
import { type Log } from './_support.js';

type Handler = ProxyHandler<object>;

class TracedTraps implements Handler {
  constructor(private readonly inner: Handler) {}

  //<traced>
  get(target: object, prop: string | symbol, receiver: unknown): unknown {
    return this.inner.get ? this.inner.get.call(this.inner, target, prop, receiver) : Reflect.get(target, prop, receiver);
  }

  //<traced>
  set(target: object, prop: string | symbol, value: unknown, receiver: unknown): boolean {
    return this.inner.set ? this.inner.set.call(this.inner, target, prop, value, receiver) : Reflect.set(target, prop, value, receiver);
  }

  //<traced>
  has(target: object, prop: string | symbol): boolean {
    return this.inner.has ? this.inner.has.call(this.inner, target, prop) : Reflect.has(target, prop);
  }

  //<traced>
  ownKeys(target: object): ArrayLike<string | symbol> {
    return this.inner.ownKeys ? this.inner.ownKeys.call(this.inner, target) : Reflect.ownKeys(target);
  }

  //<traced>
  getOwnPropertyDescriptor(target: object, prop: string | symbol): PropertyDescriptor | undefined {
    return this.inner.getOwnPropertyDescriptor
      ? this.inner.getOwnPropertyDescriptor.call(this.inner, target, prop)
      : Reflect.getOwnPropertyDescriptor(target, prop);
  }

  //<traced>
  deleteProperty(target: object, prop: string | symbol): boolean {
    return this.inner.deleteProperty ? this.inner.deleteProperty.call(this.inner, target, prop) : Reflect.deleteProperty(target, prop);
  }

  //<traced>
  defineProperty(target: object, prop: string | symbol, descriptor: PropertyDescriptor): boolean {
    return this.inner.defineProperty ? this.inner.defineProperty.call(this.inner, target, prop, descriptor) : Reflect.defineProperty(target, prop, descriptor);
  }

  //<traced>
  getPrototypeOf(target: object): object | null {
    return this.inner.getPrototypeOf ? this.inner.getPrototypeOf.call(this.inner, target) : Reflect.getPrototypeOf(target);
  }
}

function withTracedTraps<R>(run: () => R): R {
  const revocable = Proxy.revocable;
  Proxy.revocable = ((target: object, handler: Handler) => revocable(target, new TracedTraps(handler))) as typeof Proxy.revocable;
  try {
    return run();
  } finally {
    Proxy.revocable = revocable;
  }
}

interface Cart {
  user: { name: string };
  items: Array<{ sku: string; price: number }>;
  total: number;
}

class Shop {
  //<traced>
  applyDiscount(draft: Cart, percent: number): void {
    for (const item of draft.items) item.price = Math.round(item.price * (100 - percent)) / 100;
    draft.total = draft.items.reduce((sum, item) => sum + item.price, 0);
  }

  //<traced>
  checkout(cart: Cart): Cart {
    return withTracedTraps(() => produce(cart, (draft) => this.applyDiscount(draft, 10)));
  }
}

export async function main(log: Log) {
  log(['tiny', withTracedTraps(() => produce({ a: 1 }, (draft) => {
    draft.a = 2;
  }))]);
  const cart: Cart = { user: { name: 'ada' }, items: [{ sku: 'a', price: 10 }, { sku: 'b', price: 20 }], total: 30 };
  const next = new Shop().checkout(cart);
  log(['next', next]);
  log(['base unchanged', cart.items[0]!.price, cart.total]);
  log(['untouched subtree shared', next.user === cart.user]);
  log(['frozen', Object.isFrozen(next)]);
}
