/** One OTLP/HTTP POST: encode, optionally gzip, send, and turn the outcome into a DeliveryFailure. */
import { utf8Encode } from '../../platform/bytes.js';
import { gzip } from '../../platform/gzip.js';
import { failureFromResponse } from '../delivery/failure.js';
import { httpRequest, type HttpResponse } from '../http/request.js';
import type { RequestGroup } from '../http/request-group.js';
import { encodeTraceRequestJson } from './encode-json.js';
import { encodeTraceRequestProtobuf } from './encode-protobuf.js';
import type { OtlpProtocol } from './config.js';
import type { OtlpEnvelope, OtlpSpanView } from './span-view.js';

/**
 * Below this, gzip costs more than it saves: each async gzip call sets up a fresh zlib stream
 * (hundreds of KB of state), which dominated the CPU profile for per-trace MLflow requests.
 */
const GZIP_MIN_BYTES = 8 * 1024;

export interface OtlpPost {
  url: URL;
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  gzip: boolean;
  timeoutMs: number;
  /** Set for background delivery (see RequestGroup). */
  group?: RequestGroup;
}

export async function postOtlp(post: OtlpPost, envelope: OtlpEnvelope, spans: readonly OtlpSpanView[]): Promise<HttpResponse> {
  const encoded: Uint8Array | string =
    post.protocol === 'http/json' ? encodeTraceRequestJson(envelope, spans) : encodeTraceRequestProtobuf(envelope, spans);
  let body = typeof encoded === 'string' ? utf8Encode(encoded) : encoded;
  const headers: Record<string, string> = {
    ...post.headers,
    'content-type': post.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
  };
  if (post.gzip && body.byteLength >= GZIP_MIN_BYTES) {
    const compressed = await gzip(body);
    if (compressed) {
      body = compressed;
      headers['content-encoding'] = 'gzip';
    }
  }
  const response = await httpRequest({ method: 'POST', url: post.url, headers, body, timeoutMs: post.timeoutMs, group: post.group });
  if (response.status < 200 || response.status >= 300) {
    throw failureFromResponse(response, `POST ${post.url.pathname}`);
  }
  return response;
}

