/** What every scenario gets from the runner, and the memory high-water mark they all feed. */
import type { BenchSigner } from './bench-signer.ts';
import type { ConnectorStats } from './connector-protocol.ts';

export type ScenarioContext = {
  quick: boolean;
  /** Repetitions of each measurement; figures are medians over them. */
  runs: number;
  signer: BenchSigner;
  /** The module forked as the connector (compiled or the TypeScript source). */
  connectorModule: string;
  /** Scratch space for data directories, logs and request files. */
  workDir: string;
  /** When set, connectors write V8 CPU profiles here. */
  cpuProfileDir: string | undefined;
  log(message: string): void;
  /**
   * Records a connector's final figures, for the peak RSS across scenarios; connectors configured
   * away from the defaults (`nonDefault`) are listed but do not count towards the peak.
   */
  recordConnector(scenario: string, stats: ConnectorStats, options?: { nonDefault?: boolean }): void;
};

export type ScenarioName = 'ingress' | 'e2e' | 'calls' | 'backlog' | 'footprint' | 'scale-out';
