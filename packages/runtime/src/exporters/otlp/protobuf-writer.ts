/**
 * A minimal protobuf wire-format writer: the four wire types OTLP uses, nested messages
 * written in place (one byte reserved for the length, shifted only when a message exceeds
 * 127 bytes). Enough for ExportTraceServiceRequest without pulling in a protobuf runtime.
 */
import { hexToBytes } from '../../platform/bytes.js';
import { flattened } from '../../platform/flat-string.js';
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

export class ProtoWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  private readonly starts: number[] = [];

  constructor(initialSize = 4096) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  finish(): Uint8Array {
    if (this.starts.length) throw new Error('ProtoWriter.finish(): unclosed nested message');
    return this.buf.subarray(0, this.pos);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private tag(field: number, wire: number): void {
    this.rawVarint((field << 3) | wire);
  }

  /** Unsigned varint for values below 2^53. */
  private rawVarint(value: number): void {
    this.ensure(10);
    while (value > 0x7f) {
      this.buf[this.pos++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buf[this.pos++] = value;
  }

  uint32(field: number, value: number): this {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value >>> 0);
    return this;
  }

  bool(field: number, value: boolean): this {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value ? 1 : 0);
    return this;
  }

  /** int64 (two's complement, so negatives take 10 bytes as protobuf requires). */
  int64(field: number, value: bigint | number): this {
    this.tag(field, WIRE_VARINT);
    let v = BigInt.asUintN(64, BigInt(value));
    this.ensure(10);
    while (v > 0x7fn) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
    return this;
  }

  fixed64(field: number, value: bigint): this {
    this.tag(field, WIRE_FIXED64);
    this.ensure(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, value), true);
    this.pos += 8;
    return this;
  }

  fixed32(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    this.ensure(4);
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
    return this;
  }

  double(field: number, value: number): this {
    this.tag(field, WIRE_FIXED64);
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
    return this;
  }

  string(field: number, value: string): this {
    this.tag(field, WIRE_LEN);
    // Worst case 3 bytes per UTF-16 unit; encodeInto then tells the real length.
    this.ensure(value.length * 3 + 10);
    const lenAt = this.pos;
    const lenBytes = varintSize(value.length * 3);
    const { written } = utf8.encodeInto(flattened(value), this.buf.subarray(lenAt + lenBytes));
    const actualLenBytes = varintSize(written);
    if (actualLenBytes !== lenBytes) this.buf.copyWithin(lenAt + actualLenBytes, lenAt + lenBytes, lenAt + lenBytes + written);
    this.pos = lenAt;
    this.rawVarint(written);
    this.pos += written;
    return this;
  }

  /** Bytes given as lowercase hex (trace and span ids). */
  hexBytes(field: number, hex: string): this {
    const bytes = hexToBytes(hex);
    this.tag(field, WIRE_LEN);
    this.rawVarint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** Opens a nested message field; close it with {@link end}. */
  begin(field: number): this {
    this.tag(field, WIRE_LEN);
    this.ensure(1);
    this.starts.push(this.pos);
    this.pos++; // length placeholder, one byte
    return this;
  }

  end(): this {
    const lenAt = this.starts.pop();
    if (lenAt === undefined) throw new Error('ProtoWriter.end() without begin()');
    const bodyStart = lenAt + 1;
    const len = this.pos - bodyStart;
    const need = varintSize(len);
    if (need > 1) {
      this.ensure(need - 1);
      this.buf.copyWithin(lenAt + need, bodyStart, this.pos);
      this.pos += need - 1;
    }
    const end = this.pos;
    this.pos = lenAt;
    this.rawVarint(len);
    this.pos = end;
    return this;
  }
}

function varintSize(value: number): number {
  let n = 1;
  while (value > 0x7f) {
    value = Math.floor(value / 128);
    n++;
  }
  return n;
}
