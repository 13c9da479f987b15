/** The seed's TEXT timestamp: 'YYYY-MM-DD HH:MM:SS' in UTC (what SQLite's datetime('now') produces). */
export function toSqliteTimestamp(date: Date = new Date()): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses a seed TEXT timestamp back into a Date (UTC). */
export function fromSqliteTimestamp(value: string): Date {
  return new Date(`${value.replace(' ', 'T')}Z`);
}

/** documents use INTEGER milliseconds since the epoch. */
export function nowMs(): number {
  return Date.now();
}
