/**
 * Several connector instances on one PostgreSQL database, each a process of its own with its own ports
 * and data directory, behind a round-robin forwarder registered as the webhook URL: what a partner runs
 * for scale-out and high availability, on one machine. Used by the demo (`--instances N`) and the chaos
 * suite on PostgreSQL.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ConfigTree, deepMerge, writeConfigFile } from './config-file.ts';
import { type ConnectorProcess, createConnectorProcess } from './connector-process.ts';
import { freePort } from './free-port.ts';
import type { RoundRobinForwarder } from './round-robin-forwarder.ts';

export type FleetInstance = ConnectorProcess & {
  /** 1-based, as the demo names them. */
  readonly number: number;
  readonly configFile: string;
  readonly logFile: string;
  /** The operator console's port (the configuration's `admin.port`). */
  readonly adminPort: number;
};

export type ConnectorFleet = {
  readonly instances: readonly FleetInstance[];
  /** Starts every instance at once; resolves when all answer `/healthz`. */
  start(): Promise<void>;
  /** SIGKILLs one instance and starts it again `restartAfterMs` later (resolves once it is healthy). */
  killAndRestart(instance: FleetInstance, restartAfterMs: number): Promise<void>;
  /** SIGTERM to every instance, and waits for their graceful exits. */
  stop(deadlineMs?: number): Promise<void>;
  readonly kills: number;
};

export type ConnectorFleetOptions = {
  count: number;
  /** Configuration files, data directories (`instance-N/`) and logs (`instance-N.log`) go here. */
  dir: string;
  /** What every instance shares: the store (`store.url`, `store.schema`), secrets, remotes. */
  config: ConfigTree;
  /**
   * Already listening: its URL is what the caller registers with Partner Center, and it is pointed at
   * the instances here. Without one (a single instance), Partner Center delivers to the instance itself.
   */
  forwarder?: RoundRobinForwarder;
  /** See ConnectorProcessOptions. */
  entry?: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
};

export async function createConnectorFleet(options: ConnectorFleetOptions): Promise<ConnectorFleet> {
  if (options.count > 1 && !options.forwarder) throw new RangeError('several instances need a forwarder');
  const instances: FleetInstance[] = [];
  for (let number = 1; number <= options.count; number++) {
    const [port, adminPort] = [await freePort(), await freePort()];
    const dataDir = join(options.dir, `instance-${number}`);
    mkdirSync(dataDir, { recursive: true });
    const configFile = join(options.dir, `instance-${number}.yaml`);
    writeConfigFile(
      configFile,
      deepMerge(options.config, {
        dataDir,
        server: { host: '127.0.0.1', port },
        admin: { port: adminPort },
      }),
    );
    const logFile = join(options.dir, `instance-${number}.log`);
    const process = createConnectorProcess({
      configFile,
      logFile,
      port,
      ...(options.entry ? { entry: options.entry } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    });
    instances.push(Object.assign(process, { number, configFile, logFile, adminPort }));
  }
  options.forwarder?.setUpstreams(instances.map((instance) => `http://127.0.0.1:${instance.port}`));

  let kills = 0;
  return {
    instances,
    async start() {
      const started = await Promise.allSettled(instances.map((instance) => instance.start()));
      const failed = started.find((result) => result.status === 'rejected');
      if (failed) {
        await Promise.all(instances.map((instance) => instance.stop(5_000)));
        throw failed.reason;
      }
    },
    async killAndRestart(instance, restartAfterMs) {
      kills += 1;
      await instance.kill();
      await sleep(restartAfterMs);
      await instance.start();
    },
    async stop(deadlineMs = 20_000) {
      await Promise.all(instances.map((instance) => instance.stop(deadlineMs)));
    },
    get kills() {
      return kills;
    },
  };
}
