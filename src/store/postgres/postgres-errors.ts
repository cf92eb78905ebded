import { StoreUnavailableError, type StoreUnavailableReason } from '../store-errors.ts';

// SQLSTATEs that mean "cannot commit now" (https://www.postgresql.org/docs/current/errcodes-appendix.html).
const UNAVAILABLE_BY_SQLSTATE: Readonly<Record<string, StoreUnavailableReason>> = {
  '25006': 'read_only', // read_only_sql_transaction: a standby, or default_transaction_read_only
  '40001': 'busy', // serialization_failure
  '40P01': 'busy', // deadlock_detected
  '53000': 'busy', // insufficient_resources
  '53100': 'disk_full',
  '53200': 'out_of_memory',
  '53300': 'busy', // too_many_connections
  '55P03': 'busy', // lock_not_available (lock_timeout)
  '57014': 'busy', // query_canceled (statement_timeout)
  '57P01': 'unreachable', // admin_shutdown
  '57P02': 'unreachable', // crash_shutdown
  '57P03': 'unreachable', // cannot_connect_now (starting up, recovering)
  '58030': 'io', // io_error
  XX001: 'corrupt', // data_corrupted
  XX002: 'corrupt', // index_corrupted
  '3D000': 'cannot_open', // invalid_catalog_name: the database does not exist
  '28000': 'cannot_open', // invalid_authorization_specification
  '28P01': 'cannot_open', // invalid_password
};

const UNREACHABLE_SYSCALL_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * node-postgres reports a lost or unusable connection by message only; these are its own wordings
 * (pg 8.23, pg-pool 3): a dropped socket, a connect that timed out, a pool with no free client in time.
 */
function reasonFromMessage(message: string): StoreUnavailableReason | null {
  if (/^Connection terminated/.test(message)) return 'unreachable';
  if (/timeout exceeded when trying to connect/.test(message)) return 'busy';
  if (/Cannot use a pool after calling end on the pool|Client was closed and is not queryable/.test(message))
    return 'closed';
  return null;
}

/**
 * Turns what node-postgres throws into a `StoreUnavailableError` when the database cannot take the
 * write now (so callers answer 503 and retry); anything else (constraint failures, SQL errors) is a bug
 * and is returned unchanged.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !(error instanceof Error)) return error;
  const { code } = error as Error & { code?: unknown };
  const unavailable = (reason: StoreUnavailableReason) =>
    new StoreUnavailableError(reason, { cause: error, detail: detailOf(error) });
  if (typeof code === 'string') {
    const bySqlState = UNAVAILABLE_BY_SQLSTATE[code] ?? (code.startsWith('08') ? 'unreachable' : undefined);
    if (bySqlState) return unavailable(bySqlState);
    if (UNREACHABLE_SYSCALL_CODES.has(code)) return unavailable('unreachable');
  }
  const byMessage = reasonFromMessage(error.message);
  return byMessage ? unavailable(byMessage) : error;
}

/**
 * The server's or the socket's own words ("role \"x\" does not exist", "connect ECONNREFUSED
 * 127.0.0.1:5432"): they name the fix. Neither carries the password; the connection URL is never quoted.
 */
function detailOf(error: Error): string {
  const messages =
    error instanceof AggregateError && error.errors.length > 0
      ? error.errors.map((inner: unknown) => (inner instanceof Error ? inner.message : String(inner)))
      : [error.message];
  return messages.join('; ').split('\n')[0]?.slice(0, 200) ?? '';
}

/** Awaits a database call, turning "cannot commit now" failures into `StoreUnavailableError`. */
export async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toStoreError(error);
  }
}

/** A unique index refused the row: another instance changed the same referral's jobs meanwhile. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
