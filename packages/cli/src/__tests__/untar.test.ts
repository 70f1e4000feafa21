import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { untar } from './untar.js';

let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'tw-untar-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

/** One ustar entry, written the way tar writes it (octal fields, checksum, 512-byte padding). */
function entry(name: string, type: string, body = Buffer.alloc(0), mode = 0o644): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0);
  h.write(`${mode.toString(8).padStart(7, '0')}\0`, 100);
  h.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  h.write(type, 156);
  h.write('ustar\x0000', 257);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([h, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}
/** A pax record: its length counts itself. */
function paxRecord(key: string, value: string): Buffer {
  const rest = ` ${key}=${value}\n`;
  let len = rest.length + 1;
  while (String(len).length + rest.length !== len) len++;
  return Buffer.from(`${len}${rest}`);
}
const archive = (...entries: Buffer[]) => Buffer.concat([...entries, Buffer.alloc(1024)]);

it("unpacks the real font archive that @sparticuz/chromium ships", () => {
  const main = fileURLToPath(import.meta.resolve('@sparticuz/chromium'));
  let pkg = dirname(main);
  while (!existsSync(join(pkg, 'bin', 'fonts.tar.br'))) pkg = dirname(pkg);
  untar(brotliDecompressSync(readFileSync(join(pkg, 'bin', 'fonts.tar.br'))), out);
  expect(readdirSync(join(out, 'fonts', 'Open_Sans')).sort()).toEqual(['OpenSans-Bold.ttf', 'OpenSans-Italic.ttf', 'OpenSans-Regular.ttf']);
  const ttf = readFileSync(join(out, 'fonts', 'Open_Sans', 'OpenSans-Regular.ttf'));
  expect(ttf.readUInt32BE(0)).toBe(0x00010000); // a TrueType font, whole: its table directory fits
  expect(ttf.length).toBeGreaterThan(ttf.readUInt16BE(4) * 16 + 12);
  expect(readFileSync(join(out, 'fonts.conf'), 'utf8')).toContain('<fontconfig>');
});

it('keeps file modes, and takes GNU and pax long names', () => {
  const long = `${'d'.repeat(90)}/${'f'.repeat(40)}`;
  untar(
    archive(
      entry('bin/', '5', undefined, 0o755),
      entry('bin/run', '0', Buffer.from('#!/bin/sh\n'), 0o755),
      entry('././@LongLink', 'L', Buffer.from(`${long}\0`)),
      entry(long.slice(0, 100), '0', Buffer.from('gnu')),
      entry('PaxHeader', 'x', paxRecord('path', `pax/${'p'.repeat(100)}`)),
      entry('pax/short', '0', Buffer.from('pax')),
    ),
    out,
  );
  expect(statSync(join(out, 'bin', 'run')).mode & 0o777).toBe(0o755);
  expect(readFileSync(join(out, long), 'utf8')).toBe('gnu');
  expect(readFileSync(join(out, 'pax', 'p'.repeat(100)), 'utf8')).toBe('pax');
});

it('refuses entries that escape the target, links, and corrupt headers, by name', () => {
  expect(() => untar(archive(entry('../evil', '0', Buffer.from('x'))), out)).toThrow('tar entry "../evil" escapes the target directory');
  expect(() => untar(archive(entry('/etc/evil', '0', Buffer.from('x'))), out)).toThrow('escapes the target directory');
  expect(() => untar(archive(entry('lib/libx.so', '2')), out)).toThrow('tar entry "lib/libx.so" has type "2", which is not supported');
  const corrupt = archive(entry('a', '0', Buffer.from('x')));
  corrupt[0] = 'b'.charCodeAt(0);
  expect(() => untar(corrupt, out)).toThrow('tar header at offset 0 is corrupt (bad checksum)');
  expect(existsSync(join(out, '..', 'evil'))).toBe(false);
});
