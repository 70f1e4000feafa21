// Functions that return (or receive) hostile proxies: a revoked one, and one whose traps throw.
// Untraced, passing them around never touches them.
import { attempt, attemptAsync, type Log } from './_support.js';

const { proxy: revoked, revoke } = Proxy.revocable({ id: 1 }, {});
revoke();

const trap = (name: string) => () => {
  throw new Error(`${name} trap called`);
};
const hostile = new Proxy(
  {},
  {
    get: trap('get'),
    getPrototypeOf: trap('getPrototypeOf'),
    has: trap('has'),
    ownKeys: trap('ownKeys'),
    getOwnPropertyDescriptor: trap('getOwnPropertyDescriptor'),
  },
);

class Handles {
  //<traced>
  revokedHandle(): object {
    return revoked;
  }

  //<traced>
  hostileHandle(): object {
    return hostile;
  }

  //<traced>
  describe(handle: object, label: string): string {
    return `handle ${label}`;
  }

  //<traced>
  async hostileLater(): Promise<object> {
    return hostile; // resolving reads .then: the get trap throws, the promise rejects (untraced too)
  }
}

export async function main(log: Log) {
  const handles = new Handles();
  attempt(log, 'revoked proxy returned unchanged', () => handles.revokedHandle() === revoked);
  attempt(log, 'throwing-trap proxy returned unchanged', () => handles.hostileHandle() === hostile);
  attempt(log, 'revoked proxy as an argument', () => handles.describe(revoked, 'revoked'));
  attempt(log, 'throwing-trap proxy as an argument', () => handles.describe(hostile, 'hostile'));
  await attemptAsync(log, 'async function resolving to the hostile proxy', () => handles.hostileLater());
}
