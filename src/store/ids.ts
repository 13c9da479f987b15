import { v7 as uuidv7 } from 'uuid';

/** All primary keys are UUID v7: time-sortable, so insertion order and id order agree. */
export function newId(): string {
  return uuidv7();
}

/**
 * What people see and type in Slack: the last 8 hex digits. A v7 id starts with its millisecond timestamp, so
 * ids made within the same minute share their first 8 digits; the tail is random and tells them apart.
 */
export function shortId(id: string): string {
  return id.replace(/-/g, '').slice(-8);
}
