// Concurrent traced and untraced async calls: who wins a race, and the order in which
// promises settle and awaits resume. Untraced and traced runs must log the same order.
import { type Log } from './_support.js';

class Tasks {
  constructor(private readonly order: string[]) {}

  //<traced>
  async oneAwait(tag: string): Promise<string> {
    this.order.push(`${tag} started`);
    await null;
    this.order.push(`${tag} resumed`);
    return tag;
  }

  //<traced>
  async twoAwaits(tag: string): Promise<string> {
    await null;
    await null;
    return tag;
  }

  //<traced>
  resolvedPromise(tag: string): Promise<string> {
    return Promise.resolve(tag);
  }

  //<traced>
  async failsAfterAwait(tag: string): Promise<string> {
    await null;
    throw new Error(tag);
  }
}

async function untracedOneAwait(order: string[], tag: string): Promise<string> {
  order.push(`${tag} started`);
  await null;
  order.push(`${tag} resumed`);
  return tag;
}

export async function main(log: Log) {
  const order: string[] = [];
  const tasks = new Tasks(order);

  log(['race traced first', await Promise.race([tasks.oneAwait('traced'), untracedOneAwait(order, 'untraced')])]);
  log(['race untraced first', await Promise.race([untracedOneAwait(order, 'untraced'), tasks.oneAwait('traced')])]);
  log(['race resolved promise vs Promise.resolve', await Promise.race([tasks.resolvedPromise('traced'), Promise.resolve('untraced')])]);
  log(['race two awaits vs one', await Promise.race([tasks.twoAwaits('traced two'), untracedOneAwait(order, 'untraced one')])]);
  log(['any', await Promise.any([tasks.failsAfterAwait('traced fails'), untracedOneAwait(order, 'untraced ok')])]);
  log(['race order log', order.splice(0)]);

  const pending: Array<Promise<string>> = [
    tasks.oneAwait('a'),
    untracedOneAwait(order, 'b'),
    tasks.twoAwaits('c'),
    tasks.resolvedPromise('d'),
    Promise.resolve('e'),
    tasks.failsAfterAwait('f'),
    untracedOneAwait(order, 'g'),
  ];
  for (const p of pending) p.then((v) => order.push(`settled ${v}`), (e: Error) => order.push(`rejected ${e.message}`));
  await Promise.allSettled(pending);
  for (let i = 0; i < 5; i++) await null;
  log(['settlement order', order.splice(0)]);

  const worker = async (name: string, traced: boolean) => {
    for (let i = 0; i < 3; i++) {
      await (traced ? tasks.oneAwait(`${name}${i}`) : untracedOneAwait(order, `${name}${i}`));
      order.push(`${name}${i} done`);
    }
  };
  await Promise.all([worker('x', true), worker('y', false), worker('z', true)]);
  log(['interleaved workers', order.splice(0)]);
}
