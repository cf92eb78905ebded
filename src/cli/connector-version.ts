import { readFileSync } from 'node:fs';

/**
 * The connector's version, from its package.json: two levels up both from src/cli/ and, once compiled,
 * from dist/cli/, so one path serves the sources and the published package.
 */
export function connectorVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
