/** CompressionStream where the runtime has it (workerd, browsers); edge-runtime has none. */
export async function gzip(data: Uint8Array): Promise<Uint8Array | undefined> {
  if (typeof CompressionStream !== 'function') return undefined;
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
