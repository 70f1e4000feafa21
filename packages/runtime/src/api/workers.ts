/**
 * Carrying the current trace into a worker thread. AsyncLocalStorage does not cross
 * isolates, so the parent hands the worker a structured-clonable context (trace id, parent
 * span id, a MessagePort); spans the worker records under it nest under the parent span
 * and are sent back to join the parent's trace instead of being exported from the worker.
 */
import { MessageChannel, MessagePort } from 'node:worker_threads';
import { currentFrame, runInFrame } from '../core/context.js';
import { NO_OP_SPAN } from '../core/live-span.js';
import { receiveRemoteSpans, RemoteTraceBuffer } from '../core/remote-spans.js';
import { runtimeState } from '../core/state.js';

const KIND = 'tracewright.workerTraceContext';
const VERSION = 1;

/**
 * The parent's tracing context as a worker receives it (workerData or a message). Treat it
 * as opaque; it is a plain object so structured clone carries it.
 */
export interface WorkerTraceContext {
  readonly kind: typeof KIND;
  readonly version: typeof VERSION;
  /** The parent's trace, or null when no trace was active (worker spans start their own traces). */
  readonly traceId: string | null;
  readonly parentSpanId: string | null;
  /** false when tracing was off or the trace sampled out here: the worker records nothing either. */
  readonly sampled: boolean;
  /** The worker's spans travel back over this port (transfer it: see `transferList`). */
  readonly port: MessagePort | null;
}

export interface WorkerTraceLink {
  readonly context: WorkerTraceContext;
  /** Pass as `transferList` to `new Worker(...)` or `postMessage(...)`: it moves `context.port`. */
  readonly transferList: MessagePort[];
}

/**
 * Captures the current context for ONE worker task. The parent's trace is not exported
 * until the worker is done with the context (its `runInParentTrace` settled and its spans
 * ended), the worker exits, or the orphan wait (30 s after the trace's root ended) runs out.
 *
 * ```ts
 * const { context, transferList } = traceContextForWorker();
 * new Worker(file, { workerData: { traceContext: context }, transferList });
 * ```
 */
export function traceContextForWorker(): WorkerTraceLink {
  const frame = currentFrame();
  const off = !runtimeState().enabled || frame?.scope?.enabled === false || frame?.dropped === true;
  const span = frame?.span;
  const buffer = span?.buffer;
  if (off || !span || !buffer || buffer.isFinished) {
    return { context: { kind: KIND, version: VERSION, traceId: null, parentSpanId: null, sampled: !off, port: null }, transferList: [] };
  }
  const { port1, port2 } = new MessageChannel();
  receiveRemoteSpans(port1, buffer);
  return {
    context: { kind: KIND, version: VERSION, traceId: buffer.traceId, parentSpanId: span.spanId, sampled: true, port: port2 },
    transferList: [port2],
  };
}

// One buffer per received context, shared by every runInParentTrace call made with it.
const remoteBuffers = new WeakMap<MessagePort, RemoteTraceBuffer>();

/**
 * In the worker: runs `fn` inside the parent's trace, so spans begun by `trace()`,
 * `withSpan`, `@Trace` or `// @trace` code nest under the parent span. If `fn` returns a
 * promise, the context stays open until it settles. Returns what `fn` returns; throws what
 * it throws.
 */
export function runInParentTrace<T>(context: WorkerTraceContext, fn: () => T): T {
  const where = 'runInParentTrace(context, fn)';
  if (typeof fn !== 'function') throw new TypeError(`${where}: fn must be a function, got ${typeof fn}`);
  validate(where, context);
  const scope = currentFrame()?.scope;
  if (!context.sampled) return runInFrame({ span: NO_OP_SPAN, dropped: true, scope }, fn);
  if (context.traceId === null || context.parentSpanId === null || context.port === null) return fn();

  let buffer = remoteBuffers.get(context.port);
  if (!buffer) {
    buffer = new RemoteTraceBuffer(context.traceId, context.parentSpanId, context.port);
    remoteBuffers.set(context.port, buffer);
  }
  // Used up (the parent was told it is done): spans here start traces of their own.
  if (buffer.isFinished) return fn();
  const remote = buffer;
  remote.enter();
  let result: T;
  try {
    result = runInFrame({ span: remote.anchor, dropped: false, scope }, fn);
  } catch (error) {
    remote.leave();
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value) => {
        remote.leave();
        return value;
      },
      (error) => {
        remote.leave();
        throw error;
      },
    ) as T;
  }
  remote.leave();
  return result;
}

function validate(where: string, context: unknown): asserts context is WorkerTraceContext {
  const c = context as Partial<WorkerTraceContext> | null;
  const expected = 'the `context` returned by traceContextForWorker() in the parent thread';
  if (c === null || typeof c !== 'object' || c.kind !== KIND) {
    throw new TypeError(`${where}: context must be ${expected}, got ${describe(context)}`);
  }
  if (c.version !== VERSION) {
    throw new TypeError(`${where}: context has version ${String(c.version)}, this @tracewright/runtime reads version ${VERSION} (parent and worker must use the same release)`);
  }
  const traced = c.traceId !== null;
  if (
    typeof c.sampled !== 'boolean' ||
    (traced && (typeof c.traceId !== 'string' || typeof c.parentSpanId !== 'string' || !(c.port instanceof MessagePort)))
  ) {
    throw new TypeError(
      `${where}: context is damaged (traceId, parentSpanId, sampled or port missing); pass ${expected} unchanged, with its transferList`,
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return `an object with keys ${JSON.stringify(Object.keys(value).slice(0, 5))}`;
}
