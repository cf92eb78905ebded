import { connectorConfig, type EmulatorWorld } from '@referral-connector/emulators';

/**
 * The configuration keys that point a connector at an emulated world: its URLs, the development
 * credentials and the files holding the trust anchors. Everything else stays as for the real services.
 * The mapping itself belongs to the emulators (`connectorConfig`), which `emulate --write-config` writes
 * out too, so the demo, the benchmarks and a hand-started `serve` are configured alike.
 */
export function emulatorSettings(
  world: EmulatorWorld,
  files: { dataDir: string; tlsCaFile: string; signingRootsFile: string },
): Record<string, unknown> {
  return connectorConfig(world, files);
}
