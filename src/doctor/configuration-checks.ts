/**
 * The checks that need nothing but the configuration and this machine: every file a key names is
 * readable and, for PEM keys, parsed by the one PEM loader (how many certificates; which block fails and
 * why); `server.publicUrl` is https; the SQLite data directory is writable. Cheap (a few milliseconds):
 * `serve` runs them at start too.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../config/config-error.ts';
import { CONFIG_KEYS } from '../config/config-keys.ts';
import type { Config } from '../config/config-schema.ts';
import { getPath } from '../config/load-config.ts';
import { count } from '../config/pem-contents.ts';
import { readFileOfKey } from '../config/read-configured-file.ts';
import { PEM_FILE_KEYS, readPemFile } from '../config/read-pem-file.ts';
import { failed, passed, type SetupCheck, skipped, warned } from '../core/setup-check.ts';
import { INGRESS_DEFAULTS } from '../ingress/ingress-defaults.ts';
import { databasePath } from '../store/sqlite/database-path.ts';

/** A local check, and whether `serve` must refuse to start when it fails. */
export type LocalCheck = SetupCheck & { blocksStart: boolean };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Every file a set key names: readable; PEM keys parsed as the connector will parse them. */
export function checkConfiguredFiles(config: Config, now = Date.now()): LocalCheck[] {
  const checks: LocalCheck[] = [];
  for (const { path: key } of CONFIG_KEYS) {
    if (!key.endsWith('File')) continue;
    const file = getPath(config, key);
    if (typeof file !== 'string') continue;
    checks.push({ ...checkFile(key, file, now), blocksStart: true });
  }
  return checks;
}

function checkFile(key: string, file: string, now: number): SetupCheck {
  try {
    const kind = PEM_FILE_KEYS[key as keyof typeof PEM_FILE_KEYS];
    if (!kind) {
      readFileOfKey(key, file);
      return passed(key, `readable (${file})`);
    }
    const pem = readPemFile(key, file, kind);
    const found = [
      ...(pem.privateKey ? [`a ${pem.privateKey.asymmetricKeyType?.toUpperCase() ?? ''} private key`] : []),
      count(pem.certificates.length, 'certificate'),
    ].join(' and ');
    const expired = pem.certificates.findIndex((certificate) => Date.parse(certificate.validTo) < now);
    const certificate = pem.certificates[expired];
    if (certificate) {
      return warned(
        key,
        `${found} (${file}); certificate #${expired + 1} (${certificate.subject.replaceAll('\n', ', ')}) expired on ${certificate.validTo}`,
        'replace the expired certificate in the file',
      );
    }
    return passed(key, `${found} (${file})`);
  } catch (error) {
    if (error instanceof ConfigError && error.problems[0]) {
      const [problem] = error.problems;
      return failed(key, problem.problem, problem.fix ?? `point \`${key}\` at a readable file`);
    }
    throw error;
  }
}

/**
 * Partner Center must reach the connector over https. A loopback http URL only an emulator on the same
 * machine can use: worth a look, not a failure. `serve` runs without one, so it never blocks a start.
 */
export function checkPublicUrl(config: Config): LocalCheck {
  const name = 'server.publicUrl';
  const configured = config.server.publicUrl;
  if (!configured) {
    return {
      ...failed(
        name,
        'not set: nothing tells Partner Center (or `webhooks register`) where this server is',
        'set `server.publicUrl` to the https URL your reverse proxy answers at, e.g. https://connector.example.com',
      ),
      blocksStart: false,
    };
  }
  const url = new URL(configured);
  const webhook = `${configured.replace(/\/$/, '')}${INGRESS_DEFAULTS.path}`;
  if (url.protocol === 'https:')
    return { ...passed(name, `https; the webhook URL is ${webhook}`), blocksStart: false };
  if (LOOPBACK_HOSTS.has(url.hostname)) {
    return {
      ...warned(
        name,
        `http on a loopback address (${webhook}): only an emulator on this machine can deliver there`,
        'for go-live, set the https URL Partner Center reaches this server at',
      ),
      blocksStart: false,
    };
  }
  return {
    ...failed(
      name,
      `${configured} is http: Partner Center's signed callbacks must arrive over https`,
      'put an https reverse proxy in front of the connector and set `server.publicUrl` to its https URL',
    ),
    blocksStart: false,
  };
}

/** The SQLite file can be created and written (a PostgreSQL store is checked when connecting). */
export function checkStoreLocation(config: Config): LocalCheck {
  if (config.store.url)
    return { ...skipped('store.url', 'PostgreSQL: checked by connecting'), blocksStart: false };
  const name = 'dataDir';
  const file = resolve(databasePath(config.dataDir));
  const directory = dirname(file);
  const elsewhere = 'point `dataDir` at a directory the connector may write';
  const problem = (detail: string, fix = elsewhere): LocalCheck => ({
    ...failed(name, detail, fix),
    blocksStart: true,
  });
  if (existsSync(directory) && !statSync(directory).isDirectory())
    return problem(`${directory} is a file, not a directory`);
  // The nearest directory that exists must let us create the rest; SQLite also writes -wal and -shm beside the file.
  let existing = directory;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory())
    return problem(`${existing} is a file, so ${directory} cannot be created`);
  for (const path of existsSync(file) ? [existing, file] : [existing]) {
    try {
      accessSync(path, constants.W_OK);
    } catch (error) {
      return problem(
        `${path} is not writable by this user (${(error as NodeJS.ErrnoException).code})`,
        `let the connector's user write ${path}, or ${elsewhere}`,
      );
    }
  }
  return {
    ...passed(
      name,
      existsSync(file) ? `${file}, writable` : `${file} will be created (${existing} is writable)`,
    ),
    blocksStart: true,
  };
}

/** The cheap checks, in report order. */
export function runLocalChecks(config: Config): LocalCheck[] {
  return [...checkConfiguredFiles(config), checkPublicUrl(config), checkStoreLocation(config)];
}
