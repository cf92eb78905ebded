import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('never writes signatures, tokens, secrets or passwords', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', destination });
    log.info(
      {
        headers: {
          authorization: 'Signature c2VjcmV0',
          'x-ms-signature': 'c2VjcmV0',
          'content-type': 'application/json',
        },
        config: { clientSecret: 'hunter2', password: 'pa55', encryptionKey: 'k3y' },
        accessToken: 'eyJ.secret.token',
      },
      'webhook received',
    );
    const text = lines.join('');
    for (const secret of ['c2VjcmV0', 'hunter2', 'pa55', 'k3y', 'eyJ.secret.token'])
      expect(text).not.toContain(secret);
    expect(text).toContain('application/json');
    expect(text).toContain('[redacted]');
  });

  it('redacts a secret by its key name at any depth', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', destination });
    log.info({ a: { b: { c: { accessToken: 'deep-token-1' } } } }, 'nested');
    log.info({ pages: [{ request: { headers: { Authorization: 'Bearer deep-token-2' } } }] }, 'in a list');
    log.info({ form: { client_secret: 'deep-token-3', refresh_token: 'deep-token-4' } }, 'oauth names');
    log.child({ remote: { auth: { password: 'deep-token-5' } } }).info('from a child logger');
    const text = lines.join('');
    for (const secret of ['deep-token-1', 'deep-token-2', 'deep-token-3', 'deep-token-4', 'deep-token-5']) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ a: { b: { c: { accessToken: '[redacted]' } } } });
  });

  it('redacts secrets an error and its cause carry, keeping message and stack', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', destination });
    const cause = Object.assign(new Error('token endpoint refused'), {
      request: { headers: { authorization: 'Bearer cause-secret-1' } },
    });
    const err = Object.assign(new Error('sync failed', { cause }), {
      // Some libraries keep the cause as an ordinary (enumerable) property.
      details: { cause: { body: { clientSecret: 'cause-secret-2' } } },
      config: { auth: { password: 'cause-secret-3' } },
    });
    log.error({ err }, 'failed');
    log.error({ error: err }, 'failed under another key');
    log.error(err, 'failed as the first argument');
    const text = lines.join('');
    for (const secret of ['cause-secret-1', 'cause-secret-2', 'cause-secret-3']) {
      expect(text).not.toContain(secret);
    }
    const first = JSON.parse(lines[0] ?? '{}');
    expect(first.err).toMatchObject({
      type: 'Error',
      message: 'sync failed: token endpoint refused',
      stack: expect.stringContaining('caused by: Error: token endpoint refused'),
      details: { cause: { body: { clientSecret: '[redacted]' } } },
    });
  });

  it('leaves a log object without secrets untouched and survives cycles', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', destination });
    const fields: Record<string, unknown> = { referralId: 'r1', attempt: 2, nested: { tokens: 3 } };
    fields.self = fields;
    log.info({ referralId: 'r1', attempt: 2, nested: { tokens: 3 } }, 'plain');
    log.info(fields, 'cyclic');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      referralId: 'r1',
      attempt: 2,
      nested: { tokens: 3 },
    });
    expect(lines[1]).toContain('"referralId":"r1"');
  });
});
