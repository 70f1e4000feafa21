// Loads `@tracewright/transformer/node` synchronously (CommonJS extension handlers are sync),
// once per thread, and only when a candidate file is first seen.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let adapter;
let loading = false;

/** The adapter, or undefined while it is itself being loaded (its own files pass through). */
export function nodeAdapter() {
  if (adapter || loading) return adapter;
  loading = true;
  try {
    const entry = require.resolve('@tracewright/transformer/node');
    // Inside this repository (the "@tracewright/source" condition) the entry is TypeScript,
    // which the loader thread can only read through tsx's scoped require. Published builds
    // resolve to dist/cjs and never reach this branch.
    adapter = /\.[cm]?ts$/.test(entry) ? require('tsx/cjs/api').require(entry, import.meta.url) : require(entry);
  } finally {
    loading = false;
  }
  return adapter;
}

// The same patterns as SCRIPT_ID / DEPENDENCY_ID (src/adapters/filter.ts) and DIRECTIVE_HINT
// (src/core/directive.ts), which the adapter applies again (and the core decides exactly).
// They are repeated here because importing those modules would load the adapter, and with it
// the TypeScript parser; src/adapters/filter.test.ts keeps the copies in step.

/** Dependencies and non-scripts never load the adapter. */
export function mayRewrite(filename) {
  return /\.[cm]?[jt]sx?$/.test(filename) && !/[\\/]node_modules[\\/]/.test(filename);
}

/** Nor does source that cannot hold a directive, so apps without any pay nothing at startup. */
export function mayHoldDirectives(source) {
  return /@[Tt]race/.test(source);
}
