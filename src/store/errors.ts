/** Opening the store failed in a way the operator must fix; the message names the file and the likely cause. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

/** The database carries migrations this build does not know: it was written by a newer TFTSR. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** A lookup by id found nothing. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
  }
}
