/** Test lifecycle shared by integration tests: one fake server per file, autolog undone at the end. */
import { afterAll, beforeAll } from 'vitest';
import type { FakeServer } from './http.js';

/** Starts `start()` before the file's tests; after them, disables `autolog` and closes the server. Read `.server` inside tests. */
export function useFakeServer<S extends FakeServer>(start: () => Promise<S>, autolog: (options?: { disable?: boolean }) => Promise<unknown>): { readonly server: S } {
  const holder = {} as { server: S };
  beforeAll(async () => {
    holder.server = await start();
  });
  afterAll(async () => {
    await autolog({ disable: true });
    await holder.server?.close();
  });
  return holder;
}
