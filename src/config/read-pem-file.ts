/**
 * The one PEM loader: every configuration key naming a PEM file is read here, so a bundle glued
 * without a newline, a DER file, a stray private key or an encrypted key is handled (or refused, naming
 * the key, the file, the block and the fix) the same way whichever key names it. Readers pass on
 * `pem`, in which every block stands on its own lines.
 */

import { ConfigError } from './config-error.ts';
import type { Config } from './config-schema.ts';
import { type PemContents, type PemKind, readPemContents } from './pem-contents.ts';
import { configuredFileName, readFileOfKey, shownFileName } from './read-configured-file.ts';

/** The keys naming PEM files, and what each file must hold. */
export const PEM_FILE_KEYS = {
  'tls.extraCaFile': 'certificates',
  'partnerCenter.trustedRootsFile': 'certificates',
  'partnerCenter.intermediatesFile': 'certificates',
  'crm.dynamics.certificateFile': 'private-key',
  'crm.salesforce.privateKeyFile': 'private-key',
} as const satisfies Record<`${string}File`, PemKind>;

export type PemFileKey = keyof typeof PEM_FILE_KEYS;

export type PemFile = PemContents & { key: string; file: string };

/**
 * Reads and checks `file`, which `key` names and which must hold `kind`; a ConfigError naming both says
 * what is wrong. For code holding a section of the configuration (an app registration's keys).
 */
export function readPemFile(key: string, file: string, kind: PemKind): PemFile {
  const reading = readPemContents(readFileOfKey(key, file), kind);
  if (!reading.ok) {
    throw new ConfigError(
      [{ path: key, problem: `names ${shownFileName(file)}, which ${reading.problem}`, fix: reading.fix }],
      'a file it names',
    );
  }
  const { ok: _ok, ...contents } = reading;
  return { ...contents, key, file };
}

/** The PEM file `key` names in `config`, or undefined when the key is not set. */
export function readConfiguredPem(config: Config, key: PemFileKey): PemFile | undefined {
  const file = configuredFileName(config, key);
  return file === undefined ? undefined : readPemFile(key, file, PEM_FILE_KEYS[key]);
}
