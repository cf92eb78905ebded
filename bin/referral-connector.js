#!/usr/bin/env node
// The CLI entry. Node >= 24 runs the TypeScript sources directly (type stripping); a published
// package ships compiled JavaScript in dist/ instead, because Node strips no types inside node_modules.
import { existsSync } from 'node:fs';
import { CONNECTOR_COMMANDS, heapFlagsToAdd, mallocEnvToAdd } from './memory-settings.js';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `referral-connector needs Node.js 24 or newer; this is ${process.version}.\n` +
      'Run it through npm (npm run …, npx referral-connector …), which uses the Node 24 the project pins.\n',
  );
  process.exit(1);
}
// The commands that run the connector start again, as the same process, with the memory settings (see
// memory-settings.js). process.execve replaces the program in place (same pid, nothing left behind);
// where it does not exist (Windows) the connector runs with Node's defaults. The started program has
// them all, so it goes on below.
const runsConnector = CONNECTOR_COMMANDS.includes(process.argv[2] ?? '');
const heapFlags = heapFlagsToAdd(process.execArgv, process.env.NODE_OPTIONS);
const mallocEnv = mallocEnvToAdd(process.env);
const missing = heapFlags.length > 0 || Object.keys(mallocEnv).length > 0;
if (runsConnector && missing && typeof process.execve === 'function') {
  process.execve(
    process.execPath,
    [process.execPath, ...process.execArgv, ...heapFlags, ...process.argv.slice(1)],
    { ...process.env, ...mallocEnv },
  );
}
const installed = import.meta.url.includes('/node_modules/');
const compiled = new URL('../dist/src/main.js', import.meta.url);
if (installed && existsSync(compiled)) {
  await import(compiled.href);
} else {
  // In this repository the workspace packages (the emulators) run from their TypeScript sources too:
  // their exports name them under the "referral-connector-source" condition, which this process adds,
  // and default to the dist/ they publish (packages/emulators/README.md). Imported here, not above, so
  // that Node 20 still reaches the version message.
  const { registerHooks } = await import('node:module');
  registerHooks({
    resolve: (specifier, context, nextResolve) =>
      nextResolve(specifier, {
        ...context,
        conditions: [...context.conditions, 'referral-connector-source'],
      }),
  });
  await import(new URL('../src/main.ts', import.meta.url).href);
}
