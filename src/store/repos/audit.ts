import { createHash } from 'node:crypto';
import { newId } from '../ids.js';
import { type AuditEntry, type NewAuditEntry, NewAuditEntrySchema } from '../schemas.js';
import type { Db } from '../sqlite.js';
import { prepared } from '../statements.js';
import { toSqliteTimestamp } from '../time.js';

export const GENESIS_HASH = '0'.repeat(64);

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The hash that seals one entry: SHA-256 over the previous entry's hash and this entry's fields, in a fixed order. */
export function auditEntryHash(
  prevHash: string,
  e: Pick<AuditEntry, 'seq' | 'id' | 'timestamp' | 'action' | 'entity_type' | 'entity_id' | 'user_id' | 'details'>,
): string {
  const fields = [e.seq, e.id, e.timestamp, e.action, e.entity_type, e.entity_id, e.user_id, e.details];
  return sha256Hex(`${prevHash}\n${JSON.stringify(fields)}`);
}

export type AuditChainReport =
  | { ok: true; entries: number; unchained: number }
  | { ok: false; entries: number; brokenAt: { seq: number | null; id: string }; reason: string };

export class AuditRepo {
  constructor(private readonly db: Db) {}

  /**
   * Appends one entry to the chain. Callers that change data call this inside the same transaction, so the change
   * and its audit entry land together or not at all.
   */
  append(input: NewAuditEntry, now: Date = new Date()): AuditEntry {
    const data = NewAuditEntrySchema.parse(input);
    const write = this.db.transaction((): AuditEntry => {
      const last = prepared(
        this.db,
        'SELECT seq, entry_hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1',
      ).get() as { seq: number; entry_hash: string } | undefined;
      const entry = {
        id: newId(),
        timestamp: toSqliteTimestamp(now),
        action: data.action,
        entity_type: data.entity_type,
        entity_id: data.entity_id,
        user_id: data.user_id,
        details: data.details ? JSON.stringify(data.details) : null,
        seq: (last?.seq ?? 0) + 1,
        prev_hash: last?.entry_hash ?? GENESIS_HASH,
        entry_hash: '',
      };
      entry.entry_hash = auditEntryHash(entry.prev_hash, entry);
      prepared(
        this.db,
        `INSERT INTO audit_log (id, timestamp, action, entity_type, entity_id, user_id, details, seq, prev_hash, entry_hash)
           VALUES (@id, @timestamp, @action, @entity_type, @entity_id, @user_id, @details, @seq, @prev_hash, @entry_hash)`,
      ).run(entry);
      return entry;
    });
    return this.db.inTransaction ? write() : write.immediate();
  }

  list(filter: { entityType?: string; entityId?: string; action?: string; limit?: number } = {}): AuditEntry[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit ?? 100 };
    if (filter.entityType) {
      where.push('entity_type = @entityType');
      params.entityType = filter.entityType;
    }
    if (filter.entityId) {
      where.push('entity_id = @entityId');
      params.entityId = filter.entityId;
    }
    if (filter.action) {
      where.push('action = @action');
      params.action = filter.action;
    }
    return prepared(
      this.db,
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY seq IS NULL, seq, timestamp LIMIT @limit`,
    ).all(params) as AuditEntry[];
  }

  /**
   * Walks the chain in order and reports the first entry whose links or contents do not match. Entries written
   * before the chain existed (a desktop database brought over) have no seq and are counted, not verified.
   */
  verifyChain(): AuditChainReport {
    const unchained = (
      prepared(this.db, 'SELECT count(*) AS n FROM audit_log WHERE seq IS NULL').get() as { n: number }
    ).n;
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let entries = 0;
    for (const row of prepared(
      this.db,
      'SELECT * FROM audit_log WHERE seq IS NOT NULL ORDER BY seq',
    ).iterate() as Iterable<AuditEntry>) {
      entries++;
      const brokenAt = { seq: row.seq, id: row.id };
      if (row.seq !== expectedSeq) {
        return {
          ok: false,
          entries,
          brokenAt,
          reason: `expected seq ${expectedSeq}, found ${row.seq} (entry missing)`,
        };
      }
      if (row.prev_hash !== prev) {
        return { ok: false, entries, brokenAt, reason: 'prev_hash does not match the previous entry' };
      }
      if (row.entry_hash !== auditEntryHash(prev, row)) {
        return { ok: false, entries, brokenAt, reason: 'entry_hash does not match the entry (contents changed)' };
      }
      prev = row.entry_hash;
      expectedSeq++;
    }
    return { ok: true, entries, unchained };
  }
}
