/**
 * Replaces the value of every secret-named key, at any depth, in what is about to be logged (pure).
 * pino's `redact` takes fixed paths (`*.token` reaches one level), so a token three objects down, or in
 * an error's properties, went out in clear. Keys are matched by name, case-insensitively.
 *
 * Cheap when nothing matches, which is nearly always: the input is walked once and returned as is, with
 * no copy; only the objects on the way to a secret are copied. Errors stay errors (same prototype,
 * message, stack, cause), so pino's `err` serializer still renders them.
 */

export const REDACTED = '[redacted]';

/** Lower-cased key names whose values are never logged. */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-ms-signature',
  'signature',
  'token',
  'accesstoken',
  'access_token',
  'refreshtoken',
  'refresh_token',
  'idtoken',
  'id_token',
  'clientsecret',
  'client_secret',
  'clientassertion',
  'client_assertion',
  'password',
  'privatekey',
  'encryptionkey',
  'encryptionkeys',
]);

/**
 * Deeper than any log object we write. What lies below is replaced, not passed through: this bounds the
 * work on a cyclic value without tracking what was seen, and nothing down there can leak.
 */
const MAX_DEPTH = 24;
const TOO_DEEP = '[too deep]';

export function redactSecrets<T>(value: T): T {
  return redact(value, 0) as T;
}

function redact(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return redactArray(value, depth);
  if (Buffer.isBuffer(value) || value instanceof Date) return value;
  return redactObject(value as Record<string, unknown>, depth);
}

function redactArray(array: unknown[], depth: number): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const redacted = redact(array[i], depth + 1);
    if (redacted !== array[i]) {
      copy ??= array.slice();
      copy[i] = redacted;
    }
  }
  return copy ?? array;
}

function redactObject(object: Record<string, unknown>, depth: number): object {
  let changes: Map<string, unknown> | undefined;
  for (const key in object) {
    const original = object[key];
    const redacted = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redact(original, depth + 1);
    if (redacted === original) continue;
    changes ??= new Map();
    changes.set(key, redacted);
  }
  // An error's cause is usually not enumerable, and another error's properties may hide secrets too.
  const isError = object instanceof Error;
  const cause = isError ? redact(object.cause, depth + 1) : undefined;
  const causeChanged = isError && cause !== object.cause;
  if (!changes && !causeChanged) return object;
  return isError
    ? copyError(object as Error & Record<string, unknown>, changes, causeChanged, cause)
    : { ...object, ...Object.fromEntries(changes ?? []) };
}

function copyError(
  error: Error & Record<string, unknown>,
  changes: Map<string, unknown> | undefined,
  causeChanged: boolean,
  cause: unknown,
): Error {
  const copy = Object.create(Object.getPrototypeOf(error)) as Error & Record<string, unknown>;
  for (const name of ['name', 'message', 'stack'] as const) {
    if (Object.hasOwn(error, name))
      Object.defineProperty(copy, name, { value: error[name], writable: true, configurable: true });
  }
  for (const key in error) copy[key] = changes?.has(key) ? changes.get(key) : error[key];
  if (Object.hasOwn(error, 'cause') || causeChanged) {
    Object.defineProperty(copy, 'cause', {
      value: causeChanged ? cause : error.cause,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
