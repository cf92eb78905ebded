#!/usr/bin/env node
// The CLI entry. Node >= 24 runs the TypeScript sources directly (type stripping); a published
// package ships compiled JavaScript in dist/ instead, because Node strips no types inside node_modules.
import { existsSync } from 'node:fs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `referral-connector needs Node.js 24 or newer; this is ${process.version}.\n` +
      'Run it through npm (npm run …, npx referral-connector …), which uses the Node 24 the project pins.\n',
  );
  process.exit(1);
}
const installed = import.meta.url.includes('/node_modules/');
const compiled = new URL('../dist/main.js', import.meta.url);
const entry = installed && existsSync(compiled) ? compiled : new URL('../src/main.ts', import.meta.url);
await import(entry.href);
