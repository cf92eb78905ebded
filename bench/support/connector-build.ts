/**
 * What runs as the connector: the TypeScript sources through Node's type stripping (as in this
 * repository), or JavaScript compiled by tsc (as in the published package, `dist/`). Type stripping
 * loads a WebAssembly compiler into the process, which costs start-up time and ~20 MB or more of
 * RSS, so footprint figures differ between the two; the compiled build is what a deployment runs.
 */
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type ConnectorRuntime = 'dist' | 'source';

const REPO = new URL('../../', import.meta.url);
/** Under node_modules so that the compiled files resolve the installed packages (and git ignores it). */
const BUILD_DIR = new URL('node_modules/.cache/referral-connector-bench/', REPO);

/** Compiles `bench/connector-process.ts` and the sources it imports; returns the module to fork. */
export function buildConnector(): string {
  execFileSync(
    fileURLToPath(new URL('node_modules/.bin/tsc', REPO)),
    ['-p', 'bench/tsconfig.connector.json'],
    {
      cwd: fileURLToPath(REPO),
      stdio: 'inherit',
    },
  );
  // The files besides JavaScript that the connector reads at run time, as the package's build copies them.
  for (const directory of [
    'src/store/sqlite/migrations/',
    'src/store/postgres/migrations/',
    'src/admin/assets/',
  ]) {
    cpSync(fileURLToPath(new URL(directory, REPO)), fileURLToPath(new URL(directory, BUILD_DIR)), {
      recursive: true,
    });
  }
  return fileURLToPath(new URL('bench/connector-process.js', BUILD_DIR));
}

export function connectorModule(runtime: ConnectorRuntime, built: string | undefined): string {
  if (runtime === 'dist') {
    if (!built) throw new Error('the compiled connector was not built');
    return built;
  }
  return fileURLToPath(new URL('../connector-process.ts', import.meta.url));
}
