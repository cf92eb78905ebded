/**
 * What the two packed tarballs must and must not hold, checked on `npm pack --json`'s file lists and the
 * package manifests (pure). The connector's tarball carries no emulator code and none of the
 * emulator-only dependencies; each tarball holds the compiled JavaScript its bin and exports load,
 * because Node strips no types inside node_modules.
 */
export type Manifest = {
  name: string;
  version: string;
  bin?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bundleDependencies?: string[] | boolean;
  bundledDependencies?: string[] | boolean;
};

export type Packed = { manifest: Manifest; files: readonly string[] };

/** Files the installed connector reads at run time besides its JavaScript (see the build script). */
export const CONNECTOR_RUNTIME_FILES = [
  'bin/referral-connector.js',
  'bin/memory-settings.js',
  'dist/src/main.js',
  'dist/demo/demo-command.js',
  'dist/src/admin/assets/console.css',
  'dist/src/store/sqlite/migrations/0001-initial.sql',
  'dist/src/store/postgres/migrations/0001-initial.sql',
];

/**
 * Every problem found, as a sentence; empty when both tarballs are as they must be. `connectorImports`
 * are the packages the connector's own code imports (packageImports of its sources).
 */
export function packageProblems(
  connector: Packed,
  emulators: Packed,
  connectorImports: ReadonlySet<string>,
): string[] {
  return [
    ...typeScriptSources(connector),
    ...typeScriptSources(emulators),
    ...emulatorCodeIn(connector),
    ...emulatorDependenciesOf(connector.manifest, emulators.manifest, connectorImports),
    ...CONNECTOR_RUNTIME_FILES.filter((file) => !connector.files.includes(file)).map(
      (file) => `${connector.manifest.name} lacks ${file}`,
    ),
    ...missingEntryPoints(connector),
    ...missingEntryPoints(emulators),
  ];
}

function typeScriptSources({ manifest, files }: Packed): string[] {
  return files
    .filter((file) => /\.[cm]?ts$/.test(file) && !/\.d\.[cm]?ts$/.test(file))
    .map(
      (file) =>
        `${manifest.name} ships the TypeScript source ${file}, which Node will not run from node_modules`,
    );
}

function emulatorCodeIn({ manifest, files }: Packed): string[] {
  return files
    .filter(
      (file) => file.startsWith('packages/') || file.split('/').some((part) => /^emulators?\b/i.test(part)),
    )
    .map((file) => `${manifest.name} ships emulator code: ${file}`);
}

/**
 * The packages a module's source imports for their values (not `import type`, which leaves nothing at run
 * time), by package name: `fastify`, `@azure/msal-node`; Node's own modules left out.
 */
export function packageImports(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/(?:^|[\n;])\s*(?:import|export)\s+(type\s)?[^;'"]*?\sfrom\s*['"]([^'"]+)['"]/g),
  ]
    .filter(([, typeOnly]) => typeOnly === undefined)
    .map(([, , specifier]) => specifier as string);
  const sideEffectOrDynamic = [
    ...source.matchAll(/(?:^|[\n;])\s*import\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/g),
  ].map(([, sideEffect, dynamic]) => (sideEffect ?? dynamic) as string);
  return [...specifiers, ...sideEffectOrDynamic]
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
    .map((specifier) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}

/**
 * The emulators package, and the emulators' dependencies that the connector's own code does not import,
 * may not be among what npm installs with the connector (an optional peer is not installed).
 */
function emulatorDependenciesOf(
  connector: Manifest,
  emulators: Manifest,
  connectorImports: ReadonlySet<string>,
): string[] {
  const emulatorOnly = [
    emulators.name,
    ...Object.keys(emulators.dependencies ?? {}).filter((name) => !connectorImports.has(name)),
  ];
  const bundled = connector.bundleDependencies ?? connector.bundledDependencies ?? [];
  const installed = {
    dependencies: Object.keys(connector.dependencies ?? {}),
    optionalDependencies: Object.keys(connector.optionalDependencies ?? {}),
    peerDependencies: Object.keys(connector.peerDependencies ?? {}).filter(
      (name) => connector.peerDependenciesMeta?.[name]?.optional !== true,
    ),
    bundleDependencies: bundled === true ? Object.keys(connector.dependencies ?? {}) : bundled || [],
  };
  return Object.entries(installed).flatMap(([field, names]) =>
    names
      .filter((name) => emulatorOnly.includes(name))
      .map((name) => `${connector.name} has the emulator-only ${name} in ${field}`),
  );
}

function missingEntryPoints({ manifest, files }: Packed): string[] {
  const targets = [
    ...Object.values(manifest.bin ?? {}),
    ...Object.values(manifest.exports ?? {}).flatMap((target) =>
      typeof target === 'string'
        ? [target]
        : Object.entries(target)
            .filter(
              ([condition]) => condition === 'default' || condition === 'types' || condition === 'import',
            )
            .map(([, path]) => path),
    ),
  ];
  return targets
    .map((target) => target.replace(/^\.\//, ''))
    .filter((target) => !files.includes(target))
    .map((target) => `${manifest.name} names ${target} in bin or exports, but does not ship it`);
}
