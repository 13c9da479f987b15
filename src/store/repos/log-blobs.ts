import type { Db } from '../sqlite.js';
import { prepared } from '../statements.js';

export type BlobKind = 'original' | 'redacted';

/** Chunk size for stored content: small enough to page through, large enough to keep row counts low. */
export const BLOB_CHUNK_BYTES = 1024 * 1024;

/** A log's original bytes and redacted text, stored in chunks inside the encrypted database (never on disk). */
export class LogBlobsRepo {
  constructor(private readonly db: Db) {}

  /** Writes content as chunks of at most BLOB_CHUNK_BYTES; replaces what was stored for that kind. */
  write(logFileId: string, kind: BlobKind, content: Iterable<Buffer>): number {
    prepared(this.db, 'DELETE FROM log_blobs WHERE log_file_id = ? AND kind = ?').run(logFileId, kind);
    return this.append(logFileId, kind, 0, content).bytes;
  }

  /** Appends content after chunk `startSeq - 1`; returns the next free seq and the bytes written. */
  append(
    logFileId: string,
    kind: BlobKind,
    startSeq: number,
    content: Iterable<Buffer>,
  ): { nextSeq: number; bytes: number } {
    const insert = prepared(this.db, 'INSERT INTO log_blobs (log_file_id, kind, seq, data) VALUES (?, ?, ?, ?)');
    let seq = startSeq;
    let total = 0;
    for (const buf of content) {
      for (let off = 0; off < buf.length; off += BLOB_CHUNK_BYTES) {
        const part = buf.subarray(off, Math.min(buf.length, off + BLOB_CHUNK_BYTES));
        insert.run(logFileId, kind, seq++, part);
        total += part.length;
      }
    }
    return { nextSeq: seq, bytes: total };
  }

  *chunks(logFileId: string, kind: BlobKind): Generator<Buffer> {
    const ids = prepared(this.db, 'SELECT seq FROM log_blobs WHERE log_file_id = ? AND kind = ? ORDER BY seq')
      .pluck()
      .all(logFileId, kind) as number[];
    const get = prepared(this.db, 'SELECT data FROM log_blobs WHERE log_file_id = ? AND kind = ? AND seq = ?').pluck();
    for (const seq of ids) yield get.get(logFileId, kind, seq) as Buffer;
  }

  read(logFileId: string, kind: BlobKind): Buffer {
    return Buffer.concat([...this.chunks(logFileId, kind)]);
  }

  /** The first `maxBytes` of the content, for excerpts. */
  head(logFileId: string, kind: BlobKind, maxBytes: number): Buffer {
    const parts: Buffer[] = [];
    let size = 0;
    for (const chunk of this.chunks(logFileId, kind)) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= maxBytes) break;
    }
    return Buffer.concat(parts).subarray(0, maxBytes);
  }

  size(logFileId: string, kind: BlobKind): number {
    return (
      (prepared(this.db, 'SELECT sum(length(data)) FROM log_blobs WHERE log_file_id = ? AND kind = ?')
        .pluck()
        .get(logFileId, kind) as number | null) ?? 0
    );
  }
}
