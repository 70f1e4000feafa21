/** Flush helpers for short-lived platforms: `@tracewright/runtime/serverless`. */
export { settleTraces } from './settle.js';
export type { SettleOptions } from './settle.js';
export { flushTracesWith } from './wait-until.js';
export type { WaitUntil } from './wait-until.js';
export { withTraceFlush } from './workers.js';
export { withTraceFlushBeforeReturn } from './lambda.js';
