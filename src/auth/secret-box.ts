/**
 * Encrypts secrets at rest (the Partner Center token cache holds a refresh token) with AES-256-GCM
 * when a key is configured. Without a key the bytes are stored as they are, and the caller warns.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const MAGIC = Buffer.from('rcv1');

export type SecretBox = {
  readonly encrypts: boolean;
  seal(plain: Buffer): Buffer;
  open(sealed: Buffer): Buffer;
};

export class SecretBoxError extends Error {
  readonly code = 'secret_unreadable';
}

export function createSecretBox(base64Key: string | undefined): SecretBox {
  if (!base64Key) {
    return {
      encrypts: false,
      seal: (plain) => plain,
      open: (sealed) => {
        if (sealed.subarray(0, 4).equals(MAGIC)) {
          throw new SecretBoxError(
            'the stored secret is encrypted; set secrets.encryptionKey (SECRETS_ENCRYPTION_KEY)',
          );
        }
        return sealed;
      },
    };
  }
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== 32) throw new SecretBoxError('secrets.encryptionKey must be 32 bytes in base64');
  return {
    encrypts: true,
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      if (!sealed.subarray(0, 4).equals(MAGIC)) {
        throw new SecretBoxError('the stored secret is not encrypted with a key; sign in again (auth login)');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(4, 16), { authTagLength: 16 });
        decipher.setAuthTag(sealed.subarray(16, 32));
        return Buffer.concat([decipher.update(sealed.subarray(32)), decipher.final()]);
      } catch (error) {
        throw new SecretBoxError('the stored secret cannot be decrypted with secrets.encryptionKey', {
          cause: error,
        });
      }
    },
  };
}
