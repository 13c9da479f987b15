import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.js';
import { MigrationError } from './errors.js';
import type { Db as Database } from './sqlite.js';
import { toSqliteTimestamp } from './time.js';

export interface Migration {
  /** File stem, e.g. `001_issues`; what `_migrations.name` records. */
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;

/** The repository's `migrations/` folder, found from this module whether it runs from src/ or dist/src/. */
export function findMigrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'migrations');
    if (fs.existsSync(path.join(candidate, '001_issues.sql'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new MigrationError('migrations/ folder not found next to the application');
}

export function loadMigrations(dir: string = findMigrationsDir()): Migration[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => MIGRATION_FILE.test(f))
    .sort();
  files.forEach((file, index) => {
    const expected = String(index + 1).padStart(3, '0');
    if (!file.startsWith(`${expected}_`)) {
      throw new MigrationError(`migration numbering has a gap or duplicate at ${file} (expected ${expected}_…)`);
    }
  });
  return files.map((file) => ({
    name: file.replace(/\.sql$/, ''),
    sql: fs.readFileSync(path.join(dir, file), 'utf8'),
  }));
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Recorded in the database but unknown to this build: written by a newer version. */
  unknown: string[];
}

export function migrationStatus(db: Database, migrations: Migration[]): MigrationStatus {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'").get();
  const applied = hasTable
    ? (db.prepare('SELECT name FROM _migrations ORDER BY name').all() as { name: string }[]).map((r) => r.name)
    : [];
  const known = new Set(migrations.map((m) => m.name));
  const appliedSet = new Set(applied);
  return {
    applied,
    pending: migrations.filter((m) => !appliedSet.has(m.name)).map((m) => m.name),
    unknown: applied.filter((name) => !known.has(name)),
  };
}

/**
 * Applies pending migrations in order, each in its own IMMEDIATE transaction together with its `_migrations` row,
 * so a failure leaves the database at the last complete migration. Re-running is a no-op.
 */
export function migrate(db: Database, migrations: Migration[], logger?: Logger): string[] {
  const status = migrationStatus(db, migrations);
  if (status.unknown.length > 0) {
    throw new MigrationError(
      `the database has migrations this version does not know (${status.unknown.join(', ')}): ` +
        'it was written by a newer TFTSR; upgrade the app instead of opening it with this one',
    );
  }
  if (status.pending.length === 0) return [];
  db.exec('CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const isApplied = db.prepare('SELECT 1 FROM _migrations WHERE name = ?');
  const record = db.prepare('INSERT INTO _migrations (name, applied_at) VALUES (?, ?)');
  const applied: string[] = [];
  for (const migration of migrations) {
    const apply = db.transaction(() => {
      // Re-checked inside the write lock: another process may have applied it meanwhile.
      if (isApplied.get(migration.name)) return false;
      db.exec(migration.sql);
      record.run(migration.name, toSqliteTimestamp());
      return true;
    });
    if (apply.immediate()) {
      applied.push(migration.name);
      logger?.info({ migration: migration.name }, 'applied migration');
    }
  }
  return applied;
}
