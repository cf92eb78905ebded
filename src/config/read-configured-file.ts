/**
 * Reads a file a configuration key names (`tls.extraCaFile`, `partnerCenter.trustedRootsFile`,
 * `partnerCenter.intermediatesFile`, `crm.dynamics.certificateFile`, …). A file that cannot be read is a
 * configuration problem: the error names the key, the file and how to fix it, instead of a bare ENOENT
 * that leaves the reader to guess which of several files is meant.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from './config-error.ts';
import { envNameOf, findKey } from './config-keys.ts';
import type { Config } from './config-schema.ts';
import { getPath } from './load-config.ts';

/** Configuration keys that name a file end in `File`. */
export type ConfiguredFileKey = `${string}File`;

/** The file's text, or undefined when the key is not set. */
export function readConfiguredFile(config: Config, key: ConfiguredFileKey): string | undefined {
  const file = configuredFileName(config, key);
  return file === undefined ? undefined : readFileOfKey(key, file);
}

/** The file name `key` holds, or undefined when it is not set. */
export function configuredFileName(config: Config, key: ConfiguredFileKey): string | undefined {
  if (!findKey(key)) throw new TypeError(`${key} is not a configuration key`);
  const file = getPath(config, key);
  if (file === undefined) return undefined;
  if (typeof file !== 'string') throw new TypeError(`${key} does not hold a file name`);
  return file;
}

/** `file`'s text, for code that holds a section of the configuration rather than all of it. */
export function readFileOfKey(key: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const shown = shownFileName(file);
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      [
        {
          path: key,
          problem:
            code === 'ENOENT'
              ? `names ${shown}, which does not exist`
              : `names ${shown}, which cannot be read (${code ?? (error as Error).message})`,
          fix: `point \`${key}\` (or ${envNameOf(key)}) at a readable file`,
        },
      ],
      'a file it names',
    );
  }
}

/** The file as configured, and where a relative name led. */
export function shownFileName(file: string): string {
  return isAbsolute(file) ? file : `${file} (${resolve(file)})`;
}
