#!/usr/bin/env node
// `referral-connector-emulators [emulate] [--port N] …`: every emulator on one port (see the README).
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`the emulators need Node.js 24 or newer; this is ${process.version}.\n`);
  process.exit(1);
}
await import(new URL('../src/cli/main.ts', import.meta.url).href);
