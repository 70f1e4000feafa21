/** Test/bench helpers: synthetic finished traces shaped like the tracer's (10 spans by default). */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SpanStatusCode, TraceState } from '../../model/constants.js';
import { Span, SpanStatus } from '../../model/span.js';
import type { Trace } from '../../model/trace.js';

export interface SyntheticTraceOptions {
  user?: string;
  session?: string;
  tags?: Record<string, string>;
  experimentId?: string;
  requestTime?: number;
  spans?: number;
  state?: 'OK' | 'ERROR';
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export function syntheticTrace(i: number, o: SyntheticTraceOptions = {}): Trace {
  const traceId = `tr-${hex(16)}`;
  const start = BigInt(o.requestTime ?? 1_700_000_000_000 + i) * 1_000_000n + 123_456n;
  const spans: Span[] = [];
  const rootId = hex(8);
  const n = o.spans ?? 10;
  for (let s = 0; s < n; s++) {
    spans.push(
      new Span({
        traceId,
        spanId: s === 0 ? rootId : hex(8),
        parentId: s === 0 ? null : rootId,
        name: s === 0 ? `handle_${i % 7}` : `step_${s}`,
        startTimeUnixNano: start + BigInt(s * 1000),
        endTimeUnixNano: start + BigInt(s * 1000 + 900_000),
        status: new SpanStatus(s === 0 && o.state === 'ERROR' ? SpanStatusCode.ERROR : SpanStatusCode.OK),
        encodedAttributes: {
          'mlflow.traceRequestId': JSON.stringify(traceId),
          'mlflow.spanType': JSON.stringify(s === 0 ? 'CHAIN' : s % 2 ? 'LLM' : 'TOOL'),
          'mlflow.spanInputs': JSON.stringify({ question: `question ${i} step ${s}`, k: s }),
          'mlflow.spanOutputs': JSON.stringify(`answer ${i}/${s}`),
        },
        events: [],
      }),
    );
  }
  const metadata: Record<string, string> = {
    'mlflow.trace_schema.version': '3',
    'mlflow.user': 'dev',
    'mlflow.source.type': 'LOCAL',
    'mlflow.traceInputs': spans[0]!.encodedAttributes['mlflow.spanInputs']!,
    'mlflow.traceOutputs': spans[0]!.encodedAttributes['mlflow.spanOutputs']!,
  };
  if (o.user !== undefined) metadata['mlflow.trace.user'] = o.user;
  if (o.session !== undefined) metadata['mlflow.trace.session'] = o.session;
  return {
    info: {
      traceId,
      traceLocation: { type: 'MLFLOW_EXPERIMENT', mlflowExperiment: { experimentId: o.experimentId ?? '0' } },
      requestTime: Number(start / 1_000_000n),
      executionDuration: 1,
      state: o.state === 'ERROR' ? TraceState.ERROR : TraceState.OK,
      requestPreview: spans[0]!.encodedAttributes['mlflow.spanInputs'],
      responsePreview: spans[0]!.encodedAttributes['mlflow.spanOutputs'],
      traceMetadata: metadata,
      tags: { 'mlflow.traceName': spans[0]!.name, ...(o.tags ?? {}) },
      assessments: [],
    },
    data: { spans },
  };
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript file in a real child process with the workspace's source view. */
export function runTs(
  file: string | URL,
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; onLine?: (line: string, kill: () => void) => void } = {},
): Promise<ChildResult> {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  return new Promise((resolve, reject) => {
    // tsx resolved here, not from the child's cwd (tests run children in empty temp dirs).
    const tsx = import.meta.resolve('tsx');
    const child = spawn(process.execPath, ['--conditions=@tracewright/source', '--import', tsx, path, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const line of lines) options.onLine?.(line, () => child.kill('SIGKILL'));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
