/**
 * The edge entry as the edge build makes it (src/edge.ts bundled with every `.edge.ts` twin):
 * no Node built-in anywhere in its graph, no re2js, and it traces in a bare V8 context that
 * has only web globals (no process, no Buffer, no require) — keeping traces in memory with a
 * one-time warning when nothing is configured.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM build helper without types
import { edgeSwapPlugin } from '../scripts/edge-swap.mjs';

const here = dirname(fileURLToPath(import.meta.url));

async function bundleEdge(entry: string) {
  const result = await build({
    stdin: { contents: entry, resolveDir: here, loader: 'ts', sourcefile: 'user.ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022',
    keepNames: true,
    metafile: true,
    plugins: [edgeSwapPlugin],
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs), imports: Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path)) };
}

describe('edge entry', () => {
  it('has no Node built-in and no re2js in its graph; the edge twins replace their Node modules', async () => {
    const { inputs, imports } = await bundleEdge(`export * from './edge.ts';`);
    expect(imports.filter((p) => p.startsWith('node:'))).toEqual([]);
    expect(inputs.filter((f) => f.includes('re2js'))).toEqual([]);
    for (const twin of ['async-context', 'brands', 'host', 'gzip']) {
      expect(inputs.filter((f) => f.endsWith(`src/platform/${twin}.edge.ts`))).toHaveLength(1);
      expect(inputs.filter((f) => f.endsWith(`src/platform/${twin}.ts`))).toEqual([]);
    }
    expect(inputs.filter((f) => f.endsWith('src/exporters/http/request.edge.ts'))).toHaveLength(1);
    expect(inputs.filter((f) => f.endsWith('src/exporters/http/request.ts'))).toEqual([]);
  });

  it('traces in a context with web globals only; nothing configured → memory plus one warning', async () => {
    const { code } = await bundleEdge(`
      import { trace, withSpan, getDestination, contextPropagation, flushTraces } from './edge.ts';
      const inner = trace(function inner(x: number) { return x * 2; });
      const outer = trace(function outer(x: number) { return withSpan(() => inner(x), { name: 'manual' }) + 1; });
      globalThis.result = (async () => {
        const value = outer(20);
        outer(1);
        await flushTraces();
        const traces = getDestination().traces.map((t) => t.data.spans.map((s) => [s.name, s.parentId === null ? null : t.data.spans.find((p) => p.spanId === s.parentId).name]));
        const search = await getDestination().searchTraces().then(() => 'searched', (e) => e.message);
        return { value, traces, contextPropagation, search };
      })();
    `);
    const warnings: string[] = [];
    const context = vm.createContext({
      console: { warn: (m: string) => warnings.push(m), log() {}, error() {} },
      performance: { now: () => performance.now(), timeOrigin: 0 },
      crypto: globalThis.crypto,
      TextEncoder,
      TextDecoder,
      URL,
      setTimeout,
      clearTimeout,
      btoa,
      atob,
    });
    vm.runInContext(code, context);
    const result = await (context as { result: Promise<{ value: number; traces: unknown[]; contextPropagation: string; search: string }> }).result;
    expect(result.value).toBe(41);
    expect(result.contextPropagation).toBe('sync-only');
    expect(result.traces).toEqual([
      [['outer', null], ['manual', 'outer'], ['inner', 'manual']],
      [['outer', null], ['manual', 'outer'], ['inner', 'manual']],
    ]);
    expect(result.search).toMatch(/searchTraces is not part of the edge entry/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/traces are kept in memory and will not be kept/);
    expect(vm.runInContext('typeof process + typeof Buffer', context)).toBe('undefinedundefined');
  });
});
