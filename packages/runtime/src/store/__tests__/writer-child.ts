/**
 * Child process for durability tests: writes synthetic traces to a local store.
 *   writer-child.ts <root> <count> <tag> [exit]     write count traces and end (event loop drains, or process.exit())
 *   writer-child.ts <root> forever <tag>            write until killed; prints "flushed <n>" after each flush
 */
import { LocalStoreDestination } from '../local-destination.js';
import { syntheticTrace } from './fixtures.js';

const [root, countArg, tag, ending] = process.argv.slice(2) as [string, string, string, string | undefined];
const destination = new LocalStoreDestination(root);

if (countArg === 'forever') {
  let n = 0;
  for (;;) {
    for (let i = 0; i < 200; i++) destination.export(syntheticTrace(n++, { user: `user${n % 50}`, tags: { writer: tag } }));
    await destination.flush();
    process.stdout.write(`flushed ${n}\n`);
  }
} else {
  const count = Number(countArg);
  for (let i = 0; i < count; i++) {
    destination.export(syntheticTrace(i, { user: `user${i % 50}`, tags: { writer: tag } }));
    if (i % 100 === 99) await new Promise((r) => setImmediate(r));
  }
  // No explicit flush: the beforeExit hook (or, with "exit", the synchronous exit hook) must write everything.
  if (ending === 'exit') process.exit(0);
}
