import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretBoxError } from './secret-box.ts';

const KEY = randomBytes(32).toString('base64');
const OTHER_KEY = randomBytes(32).toString('base64');
const SECRET = Buffer.from('{"RefreshToken":{"x":{"secret":"0.AXYZ-refresh-token"}}}', 'utf8');

function unreadable(open: () => unknown): SecretBoxError {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretBoxError);
    expect((error as SecretBoxError).code).toBe('secret_unreadable');
    return error as SecretBoxError;
  }
  throw new Error('expected a SecretBoxError');
}

describe('secret box with a key', () => {
  const box = createSecretBox(KEY);

  it('opens what it sealed, and the sealed bytes do not contain the secret', () => {
    const sealed = box.seal(SECRET);
    expect(box.encrypts).toBe(true);
    expect(sealed.includes(SECRET)).toBe(false);
    expect(sealed.includes(Buffer.from('refresh-token'))).toBe(false);
    expect(box.open(sealed).equals(SECRET)).toBe(true);
  });

  it('seals the same secret differently each time (fresh nonce)', () => {
    expect(box.seal(SECRET).equals(box.seal(SECRET))).toBe(false);
  });

  it('opens with a new box built from the same key, as after a restart', () => {
    expect(createSecretBox(KEY).open(box.seal(SECRET)).equals(SECRET)).toBe(true);
  });

  it('refuses to open with another key', () => {
    const error = unreadable(() => createSecretBox(OTHER_KEY).open(box.seal(SECRET)));
    expect(error.message).toContain('secrets.encryptionKey');
  });

  it.each([
    ['the nonce', 5],
    ['the tag', 20],
    ['the ciphertext', 40],
  ])('refuses bytes with one bit flipped in %s', (_part, index) => {
    const sealed = box.seal(SECRET);
    sealed[index] = (sealed[index] ?? 0) ^ 0x01;
    unreadable(() => box.open(sealed));
  });

  it('refuses sealed bytes cut short', () => {
    const sealed = box.seal(SECRET);
    unreadable(() => box.open(sealed.subarray(0, 20)));
    unreadable(() => box.open(sealed.subarray(0, sealed.length - 1)));
  });

  it('refuses a secret stored in clear, and says to sign in again', () => {
    const error = unreadable(() => box.open(SECRET));
    expect(error.message).toContain('auth login');
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(33).toString('base64')],
  ])('refuses a key that is %s', (_why, key) => {
    expect(() => createSecretBox(key)).toThrow(SecretBoxError);
  });
});

describe('secret box without a key', () => {
  const box = createSecretBox(undefined);

  it('stores the bytes as they are', () => {
    expect(box.encrypts).toBe(false);
    expect(box.seal(SECRET).equals(SECRET)).toBe(true);
    expect(box.open(SECRET).equals(SECRET)).toBe(true);
  });

  it('refuses a secret sealed with a key, and names the setting to fix', () => {
    const error = unreadable(() => box.open(createSecretBox(KEY).seal(SECRET)));
    expect(error.message).toContain('SECRETS_ENCRYPTION_KEY');
  });

  it('treats an empty key as no key', () => {
    expect(createSecretBox('').encrypts).toBe(false);
  });
});
