/**
 * Salesforce record ids: 15 case-sensitive characters (a 3-character key prefix naming the object,
 * then the pod and a record number) and, in the 18-character form the REST API returns, a 3-character
 * suffix that encodes the case of the 15 so that the id survives case-insensitive systems. Requests may
 * name a record by either form.
 */
import type { Random } from '../shared/random.ts';

/** Key prefixes of the objects the emulated org has or names. */
export const KEY_PREFIXES = {
  Lead: '00Q',
  Organization: '00D',
  User: '005',
  Group: '00G',
  Account: '001',
  Contact: '003',
  Opportunity: '006',
  LeadStatus: '01J',
  QueryLocator: '01g',
} as const;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID15 = /^[a-zA-Z0-9]{15}$/;
const ID18 = /^[a-zA-Z0-9]{18}$/;

/** The 18-character form of a 15-character id. */
export function toId18(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const char = id15.charAt(chunk * 5 + i);
      if (char >= 'A' && char <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return id15 + suffix;
}

/**
 * The 18-character id a request names, or undefined when it is not a well-formed id (an 18-character
 * id whose suffix does not match its first 15 characters is not one).
 */
export function normalizeId(candidate: string): string | undefined {
  if (ID15.test(candidate)) return toId18(candidate);
  if (ID18.test(candidate) && toId18(candidate.slice(0, 15)).toLowerCase() === candidate.toLowerCase()) {
    return toId18(candidate.slice(0, 15));
  }
  return undefined;
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

export type IdFactory = {
  /** A new 18-character id with the object's key prefix. */
  next(prefix: string): string;
  /** `n` base62 characters, e.g. for session ids and locators. */
  text(length: number, alphabet?: string): string;
};

/**
 * Ids drawn from the seeded source: pod `5g`, then a record number that only grows, so ids are unique
 * and sort in creation order like real ones.
 */
export function createIdFactory(random: Random): IdFactory {
  let counter = random.int(100_000, 9_000_000);
  const text = (length: number, alphabet = BASE62) =>
    Array.from({ length }, () => alphabet.charAt(Math.floor(random.next() * alphabet.length))).join('');
  return {
    next(prefix) {
      counter += random.int(1, 7);
      return toId18(`${prefix}5g0000${toBase62(counter, 6)}`);
    },
    text,
  };
}

function toBase62(value: number, width: number): string {
  let text = '';
  let rest = value;
  while (rest > 0) {
    text = BASE62.charAt(rest % 62) + text;
    rest = Math.floor(rest / 62);
  }
  return text.padStart(width, '0').slice(-width);
}
