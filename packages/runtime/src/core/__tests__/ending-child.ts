/**
 * Child process for process-end.test.ts: one small program per scenario, run untraced and traced
 * (`trace()` applied or not), so the test can compare everything observable: exit code, signal,
 * stdout, stderr, and what was recorded.
 *   ending-child.ts <scenario> <traced|untraced> <storeDir>
 */
import { createRequire } from 'node:module';
import { disableTracing, setDiagnosticLogger, setTrackingUri, startSpan, trace } from '../../index.js';

const [scenario, mode, store] = process.argv.slice(2) as [string, string, string];
setTrackingUri(store);
setDiagnosticLogger((m) => process.stderr.write(`${m}\n`));
const wrap: <F extends (...args: any[]) => any>(fn: F) => F = mode === 'traced' ? (fn) => trace(fn) : (fn) => fn;
const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const fail = wrap(async function fail(message: string) {
  await null;
  throw new Error(message);
});

const scenarios: Record<string, () => unknown> = {
  // A rejection nobody handles: the same crash, the same message.
  unhandled() {
    void fail('boom unhandled');
    setTimeout(() => console.log('still alive'), 100);
  },
  // Handled inside the traced function, then returned and ignored by the caller: no crash.
  'handled-inside'() {
    const get = wrap(function get() {
      const p = fail('handled inside');
      p.catch((e: Error) => console.log(`caught inside: ${e.message}`));
      return p;
    });
    void get();
    setTimeout(() => console.log('still alive'), 100);
  },
  // A cached promise, handled when it was made, returned fire-and-forget: no crash.
  'cached-handled'() {
    const cached = fail('cached');
    cached.catch(() => console.log('caught at creation'));
    const getCached = wrap(function getCached() {
      return cached;
    });
    void getCached();
    setTimeout(() => console.log('still alive'), 100);
  },
  // The program watches unhandled rejections and handles one late: same events, same order.
  'late-handler'() {
    process.on('unhandledRejection', (reason) => console.log(`unhandledRejection: ${(reason as Error).message}`));
    process.on('rejectionHandled', () => console.log('rejectionHandled'));
    const p = fail('late');
    setTimeout(() => p.catch((e: Error) => console.log(`late catch: ${e.message}`)), 30);
    setTimeout(() => console.log('end'), 100);
  },
  // Many calls pending at once, handled in every order: early, late (after the unhandled check),
  // never, out of the order they were made, and new calls made while older ones still wait.
  'many-pending'() {
    process.on('unhandledRejection', (reason) => console.log(`unhandledRejection: ${(reason as Error).message}`));
    process.on('rejectionHandled', () => console.log('rejectionHandled'));
    const failOnTurn = wrap(async function failOnTurn(message: string, turn: Promise<void>) {
      await turn;
      throw new Error(message);
    });
    // Each call rejects on its turn, a timer (10 ms apart or more) set once all the calls of a
    // batch are made: how long making them took (a traced call costs more, the first one most,
    // and a loaded machine many times that) cannot change the order the program sees.
    const calls = (messages: string[], turnsMs: number[]) => {
      const made = messages.map((message) => {
        let go!: () => void;
        return { promise: failOnTurn(message, new Promise<void>((resolve) => (go = resolve))), go };
      });
      made.forEach(({ go }, i) => setTimeout(go, turnsMs[i]));
      return made.map(({ promise }) => promise);
    };
    const catchIt = (p: Promise<unknown>) => p.catch((e: Error) => console.log(`caught: ${e.message}`));
    const p = calls(['p0', 'p1', 'p2', 'p3', 'p4', 'p5'], [30, 10, 50, 20, 60, 40]);
    void catchIt(p[5]!);
    void catchIt(p[3]!);
    setTimeout(() => void catchIt(p[1]!), 1); // before it rejects
    setTimeout(() => {
      void catchIt(p[0]!); // late: after its unhandled report
      const q = calls(['p6', 'p7'], [10, 20]);
      void catchIt(q[1]!);
      setTimeout(() => void catchIt(q[0]!), 60); // late too
      setTimeout(() => console.log('end'), 150);
    }, 100);
  },
  // Handled before Node's unhandled check (a later microtask): nothing reported.
  'handled-next-microtask'() {
    process.on('unhandledRejection', () => console.log('unhandledRejection'));
    const p = fail('soon');
    void Promise.resolve().then(() => p.catch(() => console.log('caught')));
  },
  // Tracing turned off after the failed call's trace ended but before the program handles the
  // promise (same macrotask): the handler must still withdraw the stand-in rejection.
  'handled-after-disable'() {
    process.on('unhandledRejection', () => console.log('unhandledRejection'));
    const p = fail('after disable');
    let turns = 0;
    const tick = (): unknown => {
      if (++turns < 6) return Promise.resolve().then(tick);
      disableTracing();
      return p.catch(() => console.log('caught'));
    };
    void tick();
  },
  // The common CLI pattern: process.exit inside the traced work.
  'exit-inside'() {
    const step = wrap(function step(n: number) {
      return n * 2;
    });
    const main = wrap(function main() {
      console.log(`step ${step(21)}`);
      process.exit(3);
    });
    main();
  },
  // The root ends while a child span is still open, and the process ends normally.
  'open-child'() {
    const main = wrap(function main() {
      startSpan({ name: 'forgotten' });
      return 'done';
    });
    console.log(main());
  },
  // Killed by SIGTERM while traced work is pending; the program has no handler.
  sigterm() {
    const main = wrap(async function main() {
      console.log('ready');
      await later(60_000);
    });
    void main();
  },
  // Two copies of the runtime in use (this ESM source and the CommonJS build, as when an ESM app
  // and a CommonJS dependency each import it): still one SIGTERM listener, so still terminated.
  'sigterm-two-copies'() {
    const other = createRequire(import.meta.url)('../../../dist/cjs/index.js') as typeof import('../../index.js');
    const plain = function double(x: number) {
      return x * 2;
    };
    const double = mode === 'traced' ? other.trace(plain) : plain;
    // Each copy has begun a trace of its own (which is when a copy watches the process end).
    const doubled = double(21);
    const main = wrap(async function main() {
      console.log('ready', doubled);
      await later(3_000);
      console.log('still alive after SIGTERM');
    });
    void main();
  },
  // Same, but the program handles SIGTERM itself: tracing must not interfere.
  'sigterm-handled'() {
    process.on('SIGTERM', () => {
      console.log('handler ran');
      setTimeout(() => process.exit(0), 10);
    });
    const main = wrap(async function main() {
      console.log('ready');
      await later(60_000);
    });
    void main();
  },
  // process.exit() at a point the test picks (EXIT_AT), in the middle of a stream of traced calls.
  async 'exit-at'() {
    const exitAt = Number(process.env.EXIT_AT);
    const step = wrap(async function step(i: number) {
      await later(1);
      if (i === exitAt) process.exit(0);
      return i;
    });
    for (let i = 0; ; i++) await step(i);
  },
  // A generator pulled a few times and dropped: its span ends when it is collected.
  async abandoned() {
    const count = wrap(function* count() {
      for (let i = 0; ; i++) yield i;
    });
    const takeThree = wrap(function takeThree() {
      const it = count();
      return [it.next().value, it.next().value, it.next().value];
    });
    console.log(JSON.stringify(takeThree()));
    await later(10);
    (globalThis as { gc?: () => void }).gc?.();
    await later(50);
    console.log('collected');
  },
};

const run = scenarios[scenario];
if (!run) throw new Error(`unknown scenario ${scenario}`);
await run();
