/**
 * The connector's logger (pino). Secrets are redacted by key name at any depth (`redactSecrets`) in
 * every log object, in child loggers' bindings and in errors; and callers log structured fields, never
 * whole requests: the signature, bearer tokens, client secrets and passwords must not reach a log line.
 */
import { type Logger, pino } from 'pino';
import { redactSecrets } from './redact-secrets.ts';

export type { Logger };

export function createLogger(options: {
  level: string;
  destination?: NodeJS.WritableStream;
  name?: string;
}): Logger {
  const logger = pino(
    {
      name: options.name ?? 'referral-connector',
      level: options.level,
      // Runs before the serializers, so pino's `err` serializer gets errors already redacted.
      formatters: { log: redactSecrets },
      base: undefined,
    },
    options.destination ?? process.stderr,
  );
  // pino applies no formatter to a child's bindings; children inherit this method from the root, and it
  // hands over to pino's own (looked up on each call, as fastify and tests may wrap it).
  const pinoPrototype = Object.getPrototypeOf(logger) as Logger;
  logger.child = function redactedChild(this: Logger, bindings, childOptions) {
    return pinoPrototype.child.call(this, redactSecrets(bindings), childOptions);
  } as Logger['child'];
  return logger;
}
