import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONNECTOR_RUNTIME_FILES,
  type Manifest,
  type Packed,
  packageImports,
  packageProblems,
} from './packed-contents.ts';

const manifest = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')) as Manifest;

// This repository's own manifests, with file lists shaped like what `npm pack --json` lists for them.
const connector: Packed = {
  manifest: manifest('package.json'),
  files: [
    'package.json',
    'README.md',
    'CHANGELOG.md',
    'deploy/referral-connector.service',
    ...CONNECTOR_RUNTIME_FILES,
    'dist/src/connector.js',
    'dist/src/connector.d.ts',
    'dist/demo/start-demo.js',
  ],
};
const emulators: Packed = {
  manifest: manifest('packages/emulators/package.json'),
  files: [
    'package.json',
    'README.md',
    'bin/emulate.js',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/cli/emulate-command.js',
    'dist/cli/emulate-command.d.ts',
    'dist/cli/main.js',
    'src/dataverse/README.md',
  ],
};

// What the connector's sources import, as the check reads them.
const IMPORTS = new Set(Object.keys(connector.manifest.dependencies ?? {}));

const withFiles = (packed: Packed, files: readonly string[]): Packed => ({ ...packed, files });

describe('packed tarballs', () => {
  it("accept this repository's manifests with compiled code and no emulator code in the connector", () => {
    expect(packageProblems(connector, emulators, IMPORTS)).toEqual([]);
  });

  it("find emulator code compiled into the connector's tarball", () => {
    const leaked = withFiles(connector, [...connector.files, 'dist/packages/emulators/src/world.js']);
    expect(packageProblems(leaked, emulators, IMPORTS)).toEqual([
      'referral-connector ships emulator code: dist/packages/emulators/src/world.js',
    ]);
  });

  it('find the emulators or a package only they use among what npm installs with the connector', () => {
    const dependent: Packed = {
      ...connector,
      manifest: {
        ...connector.manifest,
        dependencies: { ...connector.manifest.dependencies, jose: '6.2.17' },
        optionalDependencies: { '@referral-connector/emulators': '0.2.0' },
      },
    };
    expect(packageProblems(dependent, emulators, IMPORTS)).toEqual([
      'referral-connector has the emulator-only jose in dependencies',
      'referral-connector has the emulator-only @referral-connector/emulators in optionalDependencies',
    ]);
  });

  it("leave the connector the emulators' dependencies its own code imports", () => {
    const shared = { ...connector, manifest: { ...connector.manifest, dependencies: { jose: '6.2.17' } } };
    expect(packageProblems(shared, emulators, new Set(['jose']))).toEqual([]);
  });

  it('let the connector name the emulators as an optional peer, which npm does not install', () => {
    const peer: Packed = {
      ...connector,
      manifest: {
        ...connector.manifest,
        peerDependencies: { '@referral-connector/emulators': '0.2.0' },
        peerDependenciesMeta: { '@referral-connector/emulators': { optional: true } },
      },
    };
    expect(packageProblems(peer, emulators, IMPORTS)).toEqual([]);
  });

  it('find TypeScript sources, which Node will not run from node_modules, but not declarations', () => {
    const sources = withFiles(emulators, [...emulators.files, 'src/world.ts']);
    expect(packageProblems(connector, sources, IMPORTS)).toEqual([
      '@referral-connector/emulators ships the TypeScript source src/world.ts, which Node will not run from node_modules',
    ]);
  });

  it('find an export, a bin or a runtime file the tarball does not ship', () => {
    const noCli = withFiles(
      emulators,
      emulators.files.filter((file) => file !== 'dist/cli/emulate-command.js'),
    );
    const noCss = withFiles(
      connector,
      connector.files.filter((file) => file !== 'dist/src/admin/assets/console.css'),
    );
    expect(packageProblems(noCss, noCli, IMPORTS)).toEqual([
      'referral-connector lacks dist/src/admin/assets/console.css',
      '@referral-connector/emulators names dist/cli/emulate-command.js in bin or exports, but does not ship it',
    ]);
  });
});

describe('packageImports', () => {
  it('names the packages a module imports for their values, and no type-only or relative import', () => {
    const source = [
      "import { readFileSync } from 'node:fs';",
      "import { Command } from 'commander';",
      "import type { Logger } from 'pino';",
      'import {',
      '  type FastifyInstance,',
      '  fastify,',
      "} from 'fastify';",
      "import { helper } from './helper.ts';",
      "export * from '@azure/msal-node/dist/index.js';",
      "import 'reflect-metadata';",
      "const lazy = await import('undici');",
      " * import { fake } from 'in-a-comment';",
    ].join('\n');
    expect(packageImports(source)).toEqual([
      'commander',
      'fastify',
      '@azure/msal-node',
      'reflect-metadata',
      'undici',
    ]);
  });
});
