import Sqlite from 'better-sqlite3-multiple-ciphers';

/** One open connection (better-sqlite3 API, SQLite3 Multiple Ciphers underneath). */
export type Db = Sqlite.Database;
export { Sqlite };
