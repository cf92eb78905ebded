/**
 * The keys that seal stored secrets. Encryption is not optional: when `secrets.encryptionKey` is not
 * set, a random key is made once and kept in `<dataDir>/secrets.key` (mode 0600), beside the database it
 * protects. Losing that file loses nothing but the stored sign-in: `auth login` makes a new one.
 *
 * A key set later in the configuration becomes the current key; the file's key stays usable for opening
 * what it sealed (a previous key), so supplying a key does not force a new sign-in.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config-error.ts';
import type { EncryptionKeys } from './secret-box.ts';

export const ENCRYPTION_KEY_FILE = 'secrets.key';

export type EncryptionKeyConfig = {
  dataDir: string;
  /** A shared store (`store.url`): every instance must open what another sealed. */
  store?: { url?: string | undefined };
  secrets: { encryptionKey?: string | undefined; previousEncryptionKeys?: readonly string[] | undefined };
};

type NoteLogger = { warn(fields: object, message: string): void };

export function resolveEncryptionKey(config: EncryptionKeyConfig, logger: NoteLogger): EncryptionKeys {
  const file = join(config.dataDir, ENCRYPTION_KEY_FILE);
  const previous = (config.secrets.previousEncryptionKeys ?? []).map((key, i) =>
    decodeKey(key, `secrets.previousEncryptionKeys.${i}`),
  );
  const stored = readKeyFile(file, logger);
  const configured = config.secrets.encryptionKey;
  if (configured) {
    const current = decodeKey(configured, 'secrets.encryptionKey');
    // What the generated key sealed before a key was configured still opens.
    const fromFile = stored && !stored.equals(current) ? [stored] : [];
    return { current, previous: [...previous, ...fromFile] };
  }
  if (stored) return { current: stored, previous };
  if (config.store?.url) {
    // A key generated here would be this instance's alone: the others could not open the sign-in it seals.
    throw new ConfigError(
      [
        {
          path: 'secrets.encryptionKey',
          problem:
            'is required with store.url: every instance sharing the database needs the same key to open the stored sign-in (openssl rand -base64 32)',
        },
      ],
      'secrets',
    );
  }
  const created = createKeyFile(config.dataDir, file);
  if (created.made) {
    logger.warn(
      { file },
      'secrets.encryptionKey is not set: stored secrets (the Partner Center sign-in) are encrypted with a key ' +
        `generated in ${file} (mode 0600). Keep it with the data directory and in its backups: without it the ` +
        'stored sign-in cannot be read and `referral-connector auth login` is needed again. To supply a key ' +
        'instead, set secrets.encryptionKey (SECRETS_ENCRYPTION_KEY; openssl rand -base64 32); this file then ' +
        'only opens what it sealed until the next token refresh re-seals it.',
    );
  }
  return { current: created.key, previous };
}

function readKeyFile(file: string, logger: NoteLogger): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw keyFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/]{43}=$/.test(text.trim())) {
    throw keyFileError(
      file,
      'does not hold a 32-byte base64 key: restore it from a backup, or delete it and sign in again',
    );
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    logger.warn({ file }, `${file} can be read by other users: chmod 600 it`);
  }
  return key;
}

function createKeyFile(dataDir: string, file: string): { key: Buffer; made: boolean } {
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    // `wx`: never overwrite; two processes starting at once both end up with whichever key won.
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return { key, made: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw keyFileError(file, `cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const existing = readFileSync(file, 'utf8').trim();
    return { key: decodeKey(existing, 'secrets.encryptionKey'), made: false };
  }
}

function decodeKey(base64: string, path: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(
      [{ path, problem: 'must be 32 bytes in base64 (openssl rand -base64 32)' }],
      'secrets',
    );
  }
  return key;
}

function keyFileError(file: string, problem: string): ConfigError {
  return new ConfigError(
    [{ path: 'secrets.encryptionKey', problem: `is not set, and the generated key file ${file} ${problem}` }],
    'secrets',
  );
}
