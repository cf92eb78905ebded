/**
 * Starts `connector-process.ts` and talks to it: readiness time as seen from outside (fork → ready),
 * settled syncs as they happen, memory and queue figures on demand.
 */
import { heapFlagsToAdd, mallocEnvToAdd } from '../../bin/memory-settings.js';
import { type ChildChannel, forkChild } from './child-channel.ts';
import {
  CONNECTOR_OPTIONS_ENV,
  type ConnectorProcessOptions,
  type ConnectorStats,
  type FromConnector,
  type SettledWire,
  type ToConnector,
} from './connector-protocol.ts';

export type ConnectorChild = {
  url: string;
  pid: number;
  /** fork() → `ready` message, ms; includes the sign-in when `login` was asked for. */
  readyMs: number;
  phases: Extract<FromConnector, { type: 'ready' }>['phases'];
  stats(): Promise<ConnectorStats>;
  /** Every settled sync from now on; returns an unsubscribe function. */
  onSettled(listener: (event: SettledWire) => void): () => void;
  /** Stops the connector (finishing running syncs) and returns its last figures. */
  stop(): Promise<ConnectorStats>;
  /** SIGKILL, as a crash would end it: nothing is finished or reported. */
  kill(): Promise<void>;
};

export type StartConnectorOptions = ConnectorProcessOptions & {
  /** `connector-process.ts`, or its compiled `.js` (see connector-build.ts). */
  module: string;
  logFile: string;
  /** Write a V8 CPU profile of the connector into this directory when it exits. */
  cpuProfileDir?: string;
};

/**
 * What every connector of the run is started with: the memory settings `bin/referral-connector.js`
 * starts `serve` with, then `BENCH_CONNECTOR_NODE_FLAGS` (e.g. `--heapsnapshot-signal=SIGUSR2` while
 * investigating). Heap flags of its own there, or a `MALLOC_ARENA_MAX` in the environment, replace the
 * launcher's, as an operator's would.
 */
export function connectorSettings(env: NodeJS.ProcessEnv = process.env): {
  nodeFlags: string[];
  env: Record<string, string>;
} {
  const extra = (env.BENCH_CONNECTOR_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
  return { nodeFlags: [...heapFlagsToAdd(extra, env.NODE_OPTIONS), ...extra], env: mallocEnvToAdd(env) };
}

export async function startConnector(options: StartConnectorOptions): Promise<ConnectorChild> {
  const { module, logFile, cpuProfileDir, ...processOptions } = options;
  const settings = connectorSettings();
  const channel: ChildChannel<ToConnector, FromConnector> = forkChild(module, {
    env: { ...settings.env, [CONNECTOR_OPTIONS_ENV]: JSON.stringify(processOptions) },
    execArgv: [
      ...(cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : []),
      ...settings.nodeFlags,
    ],
    logFile,
  });
  const listeners = new Set<(event: SettledWire) => void>();
  channel.on('settled', (message) => {
    for (const event of message.events) for (const listener of listeners) listener(event);
  });
  const failure = new Promise<never>((_resolve, reject) => {
    channel.on('failed', (failed) => {
      reject(new Error(`connector process failed (log: ${logFile}):\n${failed.message}`));
    });
  });
  failure.catch(() => {});
  const ready = await Promise.race([channel.next('ready', 60_000), failure]);
  const readyMs = performance.now() - channel.spawnedAt;

  return {
    url: ready.url,
    pid: channel.child.pid ?? 0,
    readyMs,
    phases: ready.phases,
    async stats() {
      channel.send({ type: 'stats' });
      return (await channel.next('stats', 30_000)).stats;
    },
    onSettled(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      channel.send({ type: 'stop' });
      const stopped = await channel.next('stopped', 30_000);
      await channel.exited;
      return stopped.stats;
    },
    async kill() {
      channel.kill();
      await channel.exited;
    },
  };
}
