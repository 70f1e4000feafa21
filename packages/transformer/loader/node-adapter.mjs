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

/**
 * Skips the adapter (and the TypeScript parser behind it) for dependencies and non-scripts.
 * The same patterns as SCRIPT_ID / DEPENDENCY_ID in src/adapters/filter.ts, which the adapter
 * applies again; they are repeated here because importing filter.ts would load the adapter.
 */
export function mayRewrite(filename) {
  return /\.[cm]?[jt]sx?$/.test(filename) && !/[\\/]node_modules[\\/]/.test(filename);
}
