/**
 * The viewer's only write path: adding feedback or an expectation to a trace. A local web
 * page must not be able to write through it on the user's behalf, so besides the Host check
 * every request (server.ts) a write needs:
 *  - the per-run token the page reads from GET /api/token (another origin cannot read it:
 *    no CORS headers are ever sent, and DNS rebinding fails the Host check), sent back in
 *    the `X-Tracewright-Token` header — a header cross-site forms cannot set;
 *  - an `Origin` equal to the viewer's own (browsers send it on every POST), and no
 *    `Sec-Fetch-Site` other than same-origin;
 *  - a JSON body of at most 16 KiB with known fields only, each within its limit.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { expectationDraft, feedbackDraft, type Assessment, type AssessmentBackend } from '@tracewright/runtime';

export const TOKEN_HEADER = 'x-tracewright-token';
export const MAX_BODY_BYTES = 16 * 1024;
const MAX_RATIONALE_CHARS = 4000;
const MAX_VALUE_JSON_CHARS = 8 * 1024;
const MAX_SOURCE_ID_CHARS = 250;
const FIELDS = new Set(['kind', 'name', 'value', 'rationale', 'spanId', 'sourceId']);

export class WriteError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = status === 403 ? 'PERMISSION_DENIED' : status === 404 ? 'RESOURCE_DOES_NOT_EXIST' : 'INVALID_PARAMETER_VALUE',
  ) {
    super(message);
  }
}

export function newWriteToken(): string {
  return randomBytes(24).toString('hex');
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Throws a 403 unless the request comes from the viewer's own page with its token. */
export function checkWriteRequest(req: IncomingMessage, token: string): void {
  const host = req.headers.host ?? '';
  const origin = req.headers.origin;
  if (origin !== `http://${host}`) throw new WriteError(403, `cross-origin write refused: Origin ${origin === undefined ? '(none)' : `'${origin}'`} is not this viewer (http://${host})`);
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') throw new WriteError(403, `cross-site write refused (Sec-Fetch-Site: ${String(site)})`);
  const given = req.headers[TOKEN_HEADER];
  if (typeof given !== 'string' || !sameToken(given, token)) throw new WriteError(403, `missing or wrong ${TOKEN_HEADER} header (reload the page)`);
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new WriteError(415, `Content-Type must be application/json, got '${type}'`);
}

/** The request body, refusing more than MAX_BODY_BYTES without reading it all. */
export function readLimitedBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return Promise.reject(new WriteError(413, `request body over ${MAX_BODY_BYTES} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new WriteError(413, `request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** POST /api/traces/<id>/assessments: validates like logFeedback / logExpectation, stores, answers the assessment. */
export async function addAssessment(backend: AssessmentBackend | undefined, traceId: string, text: string): Promise<Assessment> {
  if (!backend) throw new WriteError(405, 'this trace source cannot store assessments', 'BAD_REQUEST');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new WriteError(400, `body is not JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new WriteError(400, 'body must be a JSON object');
  const o = body as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!FIELDS.has(k)) throw new WriteError(400, `unknown field "${k}" (expected ${[...FIELDS].join(', ')})`);
  if (o.kind !== 'feedback' && o.kind !== 'expectation') throw new WriteError(400, `"kind" must be "feedback" or "expectation", got ${JSON.stringify(o.kind)}`);
  if (o.rationale !== undefined && (typeof o.rationale !== 'string' || o.rationale.length > MAX_RATIONALE_CHARS)) {
    throw new WriteError(400, `"rationale" must be a string of at most ${MAX_RATIONALE_CHARS} characters`);
  }
  if ((JSON.stringify(o.value) ?? '').length > MAX_VALUE_JSON_CHARS) throw new WriteError(400, `"value" is over ${MAX_VALUE_JSON_CHARS} characters of JSON`);
  const sourceId = o.sourceId ?? 'viewer';
  if (typeof sourceId !== 'string' || sourceId === '' || sourceId.length > MAX_SOURCE_ID_CHARS) throw new WriteError(400, `"sourceId" must be a non-empty string of at most ${MAX_SOURCE_ID_CHARS} characters`);
  const common = {
    traceId,
    name: o.name as string,
    value: o.value,
    source: { sourceType: 'HUMAN' as const, sourceId },
    ...(o.rationale !== undefined ? { rationale: o.rationale as string } : {}),
    ...(o.spanId !== undefined ? { spanId: o.spanId as string } : {}),
  };
  let draft;
  try {
    draft = o.kind === 'feedback' ? await feedbackDraft(common, undefined, 'feedback') : await expectationDraft(common, undefined, 'expectation');
  } catch (error) {
    throw new WriteError(400, (error as Error).message);
  }
  try {
    return await backend.createAssessment(draft);
  } catch (error) {
    if ((error as Error).name === 'AssessmentNotFoundError') throw new WriteError(404, (error as Error).message);
    throw error;
  }
}
