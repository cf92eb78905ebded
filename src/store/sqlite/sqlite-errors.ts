import { StoreUnavailableError, type StoreUnavailableReason } from '../store-errors.ts';

// Primary result codes (https://sqlite.org/rescode.html); extended codes carry them in the low byte.
const UNAVAILABLE_BY_RESULT_CODE: Readonly<Record<number, StoreUnavailableReason>> = {
  5: 'busy', // SQLITE_BUSY
  6: 'busy', // SQLITE_LOCKED
  7: 'out_of_memory', // SQLITE_NOMEM
  8: 'read_only', // SQLITE_READONLY
  10: 'io', // SQLITE_IOERR
  11: 'corrupt', // SQLITE_CORRUPT
  13: 'disk_full', // SQLITE_FULL
  14: 'cannot_open', // SQLITE_CANTOPEN
  15: 'io', // SQLITE_PROTOCOL (WAL lock protocol failure)
  26: 'corrupt', // SQLITE_NOTADB
};

/**
 * Turns what node:sqlite throws into a `StoreUnavailableError` when the database cannot commit (so
 * callers can answer 503 and retry); anything else (constraint failures, SQL errors) is a bug and is
 * returned unchanged.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !(error instanceof Error)) return error;
  const { code, errcode } = error as Error & { code?: unknown; errcode?: unknown };
  if (code === 'ERR_INVALID_STATE') return new StoreUnavailableError('closed', { cause: error });
  if (code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number') {
    const reason = UNAVAILABLE_BY_RESULT_CODE[errcode & 0xff];
    if (reason) return new StoreUnavailableError(reason, { cause: error });
  }
  return error;
}

/** Runs a synchronous database call, turning "cannot commit" failures into `StoreUnavailableError`. */
export function guard<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw toStoreError(error);
  }
}
