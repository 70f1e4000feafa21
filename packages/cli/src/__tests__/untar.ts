/**
 * Unpacks an uncompressed tar archive (ustar, with pax and GNU long names) holding regular files and
 * directories, for bundled-chromium.ts. Anything else (links, devices) and any entry that would land
 * outside the target directory is refused by name rather than guessed at.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';

const BLOCK = 512;

const field = (h: Buffer, start: number, length: number) => h.toString('utf8', start, start + length).replace(/\0.*$/s, '');
const octal = (h: Buffer, start: number, length: number) => parseInt(field(h, start, length).trim() || '0', 8);

/** Sum of the header's bytes with the checksum field itself counted as spaces. */
function checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum;
}

function paxPath(body: Buffer): string | undefined {
  // records are "<length> <key>=<value>\n"
  for (const record of body.toString('utf8').split('\n')) {
    const m = /^\d+ path=(.*)$/s.exec(record);
    if (m) return m[1];
  }
  return undefined;
}

export function untar(archive: Buffer, target: string): void {
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    if (checksum(header) !== octal(header, 148, 8)) throw new Error(`tar header at offset ${offset} is corrupt (bad checksum)`);
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const body = archive.subarray(offset + BLOCK, offset + BLOCK + size);
    if (body.length < size) throw new Error(`tar archive truncated at offset ${offset}`);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'L') {
      longName = field(body, 0, body.length);
      continue;
    }
    if (type === 'x') {
      longName = paxPath(body) ?? longName;
      continue;
    }
    if (type === 'g') continue; // global pax header: nothing here needs it
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    const rel = normalize(name);
    if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) throw new Error(`tar entry ${JSON.stringify(name)} escapes the target directory`);
    const out = join(target, rel);
    if (type === '5') {
      mkdirSync(out, { recursive: true });
    } else if (type === '0' || type === '\0') {
      mkdirSync(join(out, '..'), { recursive: true });
      writeFileSync(out, body);
      chmodSync(out, octal(header, 100, 8) & 0o777);
    } else {
      throw new Error(`tar entry ${JSON.stringify(name)} has type ${JSON.stringify(type)}, which is not supported`);
    }
  }
}
