import { readFileSync } from 'node:fs';

/**
 * The connector's version, from its package.json: two levels up from src/cli/, three from the compiled
 * dist/src/cli/ of the published package (compiled files are the ones ending in .js).
 */
export function connectorVersion(): string {
  const manifest = import.meta.url.endsWith('.ts') ? '../../package.json' : '../../../package.json';
  const { version } = JSON.parse(readFileSync(new URL(manifest, import.meta.url), 'utf8')) as {
    version: string;
  };
  return version;
}
