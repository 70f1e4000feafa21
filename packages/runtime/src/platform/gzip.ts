import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

// Async zlib runs on the threadpool: compression never blocks the app's event loop.
const gzipAsync = promisify(gzipCallback);

/** The gzip of `data`; undefined where the runtime cannot compress (then send it as is). */
export async function gzip(data: Uint8Array): Promise<Uint8Array | undefined> {
  return gzipAsync(data);
}
