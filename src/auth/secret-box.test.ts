import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, keyIdOf, SecretBoxError } from './secret-box.ts';

const KEY = randomBytes(32);
const OTHER_KEY = randomBytes(32);
const NAME = 'msal-cache/partner-center';
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

describe('the secret box', () => {
  const box = createSecretBox({ current: KEY });

  it('opens what it sealed, and the sealed bytes do not contain the secret', () => {
    const sealed = box.seal(NAME, SECRET);
    expect(sealed.includes(SECRET)).toBe(false);
    expect(sealed.includes(Buffer.from('refresh-token'))).toBe(false);
    expect(box.open(NAME, sealed).equals(SECRET)).toBe(true);
  });

  it('seals the same secret differently each time (fresh nonce)', () => {
    expect(box.seal(NAME, SECRET).equals(box.seal(NAME, SECRET))).toBe(false);
  });

  it('opens with a new box built from the same key, as after a restart', () => {
    expect(createSecretBox({ current: KEY }).open(NAME, box.seal(NAME, SECRET)).equals(SECRET)).toBe(true);
  });

  it('does not open a secret moved to another name', () => {
    const error = unreadable(() => box.open('msal-cache/other', box.seal(NAME, SECRET)));
    expect(error.message).toContain('another name');
  });

  it('refuses to open with another key, naming the key id and the setting', () => {
    const error = unreadable(() =>
      createSecretBox({ current: OTHER_KEY }).open(NAME, box.seal(NAME, SECRET)),
    );
    expect(error.message).toContain(keyIdOf(KEY).toString('hex'));
    expect(error.message).toContain('secrets.previousEncryptionKeys');
  });

  it('seals with the current key and opens with a previous one after a rotation', () => {
    const sealedBefore = box.seal(NAME, SECRET);
    const rotated = createSecretBox({ current: OTHER_KEY, previous: [KEY] });

    expect(rotated.open(NAME, sealedBefore).equals(SECRET)).toBe(true);
    const sealedAfter = rotated.seal(NAME, SECRET);
    expect(createSecretBox({ current: OTHER_KEY }).open(NAME, sealedAfter).equals(SECRET)).toBe(true);
    unreadable(() => box.open(NAME, sealedAfter));
  });

  it('does not open a value whose key id was swapped for another configured key', () => {
    const both = createSecretBox({ current: KEY, previous: [OTHER_KEY] });
    const sealed = both.seal(NAME, SECRET);
    keyIdOf(OTHER_KEY).copy(sealed, 4);
    unreadable(() => both.open(NAME, sealed));
  });

  it.each([
    ['the key id', 6],
    ['the nonce', 14],
    ['the tag', 30],
    ['the ciphertext', 50],
  ])('refuses bytes with one bit flipped in %s', (_part, index) => {
    const sealed = box.seal(NAME, SECRET);
    sealed[index] = (sealed[index] ?? 0) ^ 0x01;
    unreadable(() => box.open(NAME, sealed));
  });

  it('refuses sealed bytes cut short', () => {
    const sealed = box.seal(NAME, SECRET);
    unreadable(() => box.open(NAME, sealed.subarray(0, 20)));
    unreadable(() => box.open(NAME, sealed.subarray(0, sealed.length - 1)));
  });

  it('does not read a secret stored in clear or in the first sealed form, and says to sign in again', () => {
    // rcv1: magic | nonce | tag | ciphertext, no name and no key id.
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', KEY, nonce);
    const body = Buffer.concat([cipher.update(SECRET), cipher.final()]);
    const firstForm = Buffer.concat([Buffer.from('rcv1'), nonce, cipher.getAuthTag(), body]);

    for (const stored of [SECRET, firstForm]) {
      expect(unreadable(() => box.open(NAME, stored)).message).toContain('auth login');
    }
  });

  it.each([
    ['a current key that is too short', { current: randomBytes(16) }],
    ['a previous key that is too long', { current: KEY, previous: [randomBytes(33)] }],
  ])('refuses %s', (_why, keys) => {
    expect(() => createSecretBox(keys)).toThrow(SecretBoxError);
  });
});
