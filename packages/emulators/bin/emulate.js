#!/usr/bin/env node
// `referral-connector-emulators [emulate] [--port N] …`: every emulator on one port (see the README).
// In the connector's repository it runs the TypeScript sources (type stripping); an installed package
// runs the JavaScript compiled into dist/ when it was packed, because Node strips no types inside
// node_modules.
import { existsSync } from 'node:fs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`the emulators need Node.js 24 or newer; this is ${process.version}.\n`);
  process.exit(1);
}
const installed = import.meta.url.includes('/node_modules/');
const compiled = new URL('../dist/cli/main.js', import.meta.url);
const entry = installed && existsSync(compiled) ? compiled : new URL('../src/cli/main.ts', import.meta.url);
await import(entry.href);
