/**
 * The connector's logger (pino). Secrets are redacted by path wherever they appear in a log object, and
 * callers log structured fields, never whole requests: the signature, bearer tokens, client secrets and
 * passwords must not reach a log line.
 */
import { type Logger, pino } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers["x-ms-signature"]',
  '*.headers.authorization',
  '*.headers["x-ms-signature"]',
  'signature',
  '*.signature',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'clientSecret',
  '*.clientSecret',
  '*.*.clientSecret',
  'password',
  '*.password',
  'encryptionKey',
  '*.encryptionKey',
];

export function createLogger(options: {
  level: string;
  destination?: NodeJS.WritableStream;
  name?: string;
}): Logger {
  return pino(
    {
      name: options.name ?? 'referral-connector',
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: undefined,
    },
    options.destination ?? process.stderr,
  );
}
