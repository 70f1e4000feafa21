/**
 * OTLP's "partial success" (a 2xx whose ExportTraceServiceResponse says some spans were
 * rejected, with the collector's reason). Retrying would not help; the caller warns once.
 */
import { utf8Decode } from '../../platform/bytes.js';
import { headerValue, type HttpResponse } from '../http/exchange.js';

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

export function partialSuccessOf(response: HttpResponse): PartialSuccess | undefined {
  if (response.body.length === 0) return undefined;
  const type = headerValue(response.headers, 'content-type') ?? '';
  try {
    const found = type.includes('json') ? fromJson(response.body) : fromProtobuf(response.body);
    return found && (found.rejectedSpans > 0 || found.errorMessage) ? found : undefined;
  } catch {
    return undefined; // an unreadable success body is still a success
  }
}

function fromJson(body: Uint8Array): PartialSuccess | undefined {
  const parsed = JSON.parse(utf8Decode(body));
  const p = parsed?.partialSuccess ?? parsed?.partial_success;
  if (!p) return undefined;
  return { rejectedSpans: Number(p.rejectedSpans ?? p.rejected_spans ?? 0), errorMessage: String(p.errorMessage ?? p.error_message ?? '') };
}

/** ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1 { int64 rejected_spans = 1; string error_message = 2; } } */
function fromProtobuf(body: Uint8Array): PartialSuccess | undefined {
  const outer = readFields(body);
  const inner = outer.get(1);
  if (!(inner instanceof Uint8Array)) return undefined;
  const fields = readFields(inner);
  const rejected = fields.get(1);
  const message = fields.get(2);
  return {
    rejectedSpans: typeof rejected === 'number' ? rejected : 0,
    errorMessage: message instanceof Uint8Array ? utf8Decode(message) : '',
  };
}

/** Last value per field number: varints as numbers, length-delimited as bytes; others skipped. */
function readFields(buf: Uint8Array): Map<number, number | Uint8Array> {
  const out = new Map<number, number | Uint8Array>();
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++]!;
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
  };
  while (pos < buf.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    switch (tag & 7) {
      case 0:
        out.set(field, varint());
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const len = varint();
        if (pos + len > buf.length) throw new Error('truncated field');
        out.set(field, buf.subarray(pos, pos + len));
        pos += len;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${tag & 7}`);
    }
  }
  return out;
}
