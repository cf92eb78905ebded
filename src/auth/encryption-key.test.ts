import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.ts';
import { useTempDirectory } from '../store/sqlite/test-support.ts';
import { ENCRYPTION_KEY_FILE, resolveEncryptionKey } from './encryption-key.ts';
import { createSecretBox } from './secret-box.ts';

const tempDirectory = useTempDirectory();
const NAME = 'msal-cache/partner-center';
const SECRET = Buffer.from('refresh-token-value');

function recordingLogger() {
  const notes: string[] = [];
  return {
    notes,
    warn: (fields: object, message: string) => notes.push(`${message} ${JSON.stringify(fields)}`),
  };
}

describe('the key that seals stored secrets', () => {
  it('is made once in <dataDir>/secrets.key, readable by its owner only, with a note on what it means', () => {
    const dataDir = join(tempDirectory(), 'data');
    const logger = recordingLogger();
    const keys = resolveEncryptionKey({ dataDir, secrets: {} }, logger);

    const file = join(dataDir, ENCRYPTION_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').equals(keys.current)).toBe(true);
    expect(logger.notes).toHaveLength(1);
    expect(logger.notes[0]).toContain(file);
    expect(logger.notes[0]).toContain('SECRETS_ENCRYPTION_KEY');
    expect(logger.notes[0]).toContain('auth login');
    expect(logger.notes[0]).not.toContain(keys.current.toString('base64'));

    const again = recordingLogger();
    expect(resolveEncryptionKey({ dataDir, secrets: {} }, again).current.equals(keys.current)).toBe(true);
    expect(again.notes).toEqual([]);
  });

  it('opens after a restart what it sealed before', () => {
    const dataDir = tempDirectory();
    const sealed = createSecretBox(resolveEncryptionKey({ dataDir, secrets: {} }, recordingLogger())).seal(
      NAME,
      SECRET,
    );
    const reopened = createSecretBox(resolveEncryptionKey({ dataDir, secrets: {} }, recordingLogger()));
    expect(reopened.open(NAME, sealed).equals(SECRET)).toBe(true);
  });

  it('takes a configured key as the current one, and keeps the generated one for what it sealed', () => {
    const dataDir = tempDirectory();
    const generated = createSecretBox(resolveEncryptionKey({ dataDir, secrets: {} }, recordingLogger()));
    const sealedBefore = generated.seal(NAME, SECRET);
    const configured = randomBytes(32);

    const keys = resolveEncryptionKey(
      { dataDir, secrets: { encryptionKey: configured.toString('base64') } },
      recordingLogger(),
    );
    expect(keys.current.equals(configured)).toBe(true);
    const box = createSecretBox(keys);
    expect(box.open(NAME, sealedBefore).equals(SECRET)).toBe(true);
    expect(createSecretBox({ current: configured }).open(NAME, box.seal(NAME, SECRET)).equals(SECRET)).toBe(
      true,
    );
  });

  it('makes no file when a key is configured', () => {
    const dataDir = tempDirectory();
    resolveEncryptionKey(
      { dataDir, secrets: { encryptionKey: randomBytes(32).toString('base64') } },
      recordingLogger(),
    );
    expect(() => statSync(join(dataDir, ENCRYPTION_KEY_FILE))).toThrow(/ENOENT/);
  });

  it('opens with previous keys', () => {
    const old = randomBytes(32);
    const sealed = createSecretBox({ current: old }).seal(NAME, SECRET);
    const keys = resolveEncryptionKey(
      {
        dataDir: tempDirectory(),
        secrets: {
          encryptionKey: randomBytes(32).toString('base64'),
          previousEncryptionKeys: [old.toString('base64')],
        },
      },
      recordingLogger(),
    );
    expect(createSecretBox(keys).open(NAME, sealed).equals(SECRET)).toBe(true);
  });

  it('refuses a key file that holds no key, naming the setting and the file', () => {
    const dataDir = tempDirectory();
    writeFileSync(join(dataDir, ENCRYPTION_KEY_FILE), 'not a key\n', { mode: 0o600 });
    const resolve = () => resolveEncryptionKey({ dataDir, secrets: {} }, recordingLogger());
    expect(resolve).toThrow(ConfigError);
    expect(resolve).toThrow(/secrets\.encryptionKey.*secrets\.key/);
  });

  it('warns when the key file can be read by other users', () => {
    const dataDir = tempDirectory();
    resolveEncryptionKey({ dataDir, secrets: {} }, recordingLogger());
    chmodSync(join(dataDir, ENCRYPTION_KEY_FILE), 0o644);
    const logger = recordingLogger();
    resolveEncryptionKey({ dataDir, secrets: {} }, logger);
    expect(logger.notes).toEqual([expect.stringContaining('chmod 600')]);
  });

  it('refuses to generate a key of its own when the store is shared, naming the key to set', () => {
    const dataDir = join(tempDirectory(), 'data');
    expect(() =>
      resolveEncryptionKey(
        { dataDir, secrets: {}, store: { url: 'postgres://db.example/rc' } },
        recordingLogger(),
      ),
    ).toThrow(/secrets\.encryptionKey/);
  });
});
