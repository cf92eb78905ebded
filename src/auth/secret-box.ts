/**
 * Encrypts secrets at rest (the Partner Center token cache holds a refresh token) with AES-256-GCM.
 *
 * Sealed form: `rcv2` | key id (8 bytes) | nonce (12) | tag (16) | ciphertext. The secret's name and the
 * header are authenticated as associated data, so a sealed value moved to another name, or given another
 * key id, does not open. The key id is derived from the key (a hash prefix), so keys rotate without
 * naming them: the current key seals, the current and any previous key open (each value says which).
 *
 * The first format (`rcv1`, no name, no key id) and clear-text values are not read: nothing was
 * released with them (0.1.0), and the only secret stored so far, the token cache, is rebuilt by
 * `auth login`, which the error says.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const MAGIC = Buffer.from('rcv2');
const KEY_ID_BYTES = 8;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + KEY_ID_BYTES;
const BODY_START = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;
const SIGN_IN_AGAIN = 'sign in again with `referral-connector auth login`';

export type EncryptionKeys = {
  /** 32 bytes; seals every new value. */
  current: Buffer;
  /** Keys rotated out, still used to open what they sealed. */
  previous?: readonly Buffer[];
};

export type SecretBox = {
  seal(name: string, plain: Buffer): Buffer;
  open(name: string, sealed: Buffer): Buffer;
};

export class SecretBoxError extends Error {
  readonly code = 'secret_unreadable';
}

/** A short public name of a key: a hash prefix, safe to store and to show. */
export function keyIdOf(key: Buffer): Buffer {
  return createHash('sha256')
    .update('referral-connector secret-box key id\0')
    .update(key)
    .digest()
    .subarray(0, KEY_ID_BYTES);
}

export function createSecretBox(keys: EncryptionKeys): SecretBox {
  const all = [keys.current, ...(keys.previous ?? [])];
  for (const key of all) {
    if (key.length !== 32)
      throw new SecretBoxError('an encryption key must be 32 bytes (openssl rand -base64 32)');
  }
  const byId = new Map(all.map((key) => [keyIdOf(key).toString('hex'), key]));
  const currentId = keyIdOf(keys.current);

  return {
    seal(name, plain) {
      const header = Buffer.concat([MAGIC, currentId]);
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys.current, nonce);
      cipher.setAAD(associatedData(header, name));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([header, nonce, cipher.getAuthTag(), body]);
    },
    open(name, sealed) {
      if (sealed.length < BODY_START || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
        throw new SecretBoxError(
          `the stored secret "${name}" is not in the current sealed form: ${SIGN_IN_AGAIN}`,
        );
      }
      const header = sealed.subarray(0, HEADER_BYTES);
      const keyId = header.subarray(MAGIC.length).toString('hex');
      const key = byId.get(keyId);
      if (!key) {
        throw new SecretBoxError(
          `the stored secret "${name}" was sealed with another key (id ${keyId}): configure that key in ` +
            `secrets.previousEncryptionKeys (SECRETS_PREVIOUS_ENCRYPTION_KEYS), or ${SIGN_IN_AGAIN}`,
        );
      }
      try {
        const decipher = createDecipheriv(
          'aes-256-gcm',
          key,
          sealed.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES),
          {
            authTagLength: TAG_BYTES,
          },
        );
        decipher.setAAD(associatedData(header, name));
        decipher.setAuthTag(sealed.subarray(HEADER_BYTES + NONCE_BYTES, BODY_START));
        return Buffer.concat([decipher.update(sealed.subarray(BODY_START)), decipher.final()]);
      } catch (error) {
        throw new SecretBoxError(
          `the stored secret "${name}" does not open: it was changed, or sealed under another name; ${SIGN_IN_AGAIN}`,
          { cause: error },
        );
      }
    },
  };
}

function associatedData(header: Buffer, name: string): Buffer {
  return Buffer.concat([header, Buffer.from(`\0${name}`, 'utf8')]);
}
