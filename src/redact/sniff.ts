/** Content sniffing by magic bytes: gzip is decompressed, binary formats are refused. */

export class BinaryInputError extends Error {
  constructor(reason: string) {
    super(`binary input refused: ${reason}`);
    this.name = 'BinaryInputError';
  }
}

/** How many leading bytes are inspected for NULs (as git and grep do, a NUL early on means binary). */
export const SNIFF_BYTES = 8192;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

const MAGIC: ReadonlyArray<[string, number[]]> = [
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['WebP/RIFF media', [0x52, 0x49, 0x46, 0x46]],
  ['PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['ZIP archive', [0x50, 0x4b, 0x03, 0x04]],
  ['ELF executable', [0x7f, 0x45, 0x4c, 0x46]],
  ['xz archive (decompress it first)', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd archive (decompress it first)', [0x28, 0xb5, 0x2f, 0xfd]],
  ['bzip2 archive (decompress it first)', [0x42, 0x5a, 0x68]],
];

/** Throws BinaryInputError when the (decompressed) head of the input is not text. */
export function assertTextHead(head: Uint8Array): void {
  for (const [what, magic] of MAGIC) {
    if (head.length >= magic.length && magic.every((b, i) => head[i] === b)) {
      // bzip2's "BZh" is also plain text; require its block-size digit and block magic.
      if (what.startsWith('bzip2') && !(head[3]! >= 0x31 && head[3]! <= 0x39 && head[4] === 0x31 && head[5] === 0x41)) {
        continue;
      }
      throw new BinaryInputError(`${what} signature`);
    }
  }
  const nul = head.subarray(0, SNIFF_BYTES).indexOf(0);
  if (nul !== -1) throw new BinaryInputError(`NUL byte at offset ${nul}`);
}
