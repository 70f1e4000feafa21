// The one rule that makes the edge build: a source module with a `.edge.ts` sibling is replaced
// by that sibling (src/platform/README.md). Used by the package build and by tests/benchmarks
// that bundle the TypeScript sources directly.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const edgeSwapPlugin = {
  name: 'tracewright-edge-swap',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer.endsWith('.ts') || !args.path.endsWith('.js')) return undefined;
      const edge = resolve(dirname(args.importer), args.path.replace(/\.js$/, '.edge.ts'));
      // An edge module importing its Node twin (for shared types) gets the twin itself.
      if (edge === args.importer || !existsSync(edge)) return undefined;
      return { path: edge };
    });
  },
};
