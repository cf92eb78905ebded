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
});
