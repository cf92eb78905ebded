/**
 * One connector as a real child process (`referral-connector serve --config <file>`), so that it can be
 * SIGKILLed mid-run and started again on the same configuration and port: the demo's instances and the
 * chaos suites' connectors.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/**
 * The launcher a partner starts (it re-executes itself with the memory settings, keeping its pid): from
 * the sources in demo/, or from the published dist/demo/.
 */
export const CONNECTOR_BIN = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.ts') ? '../bin/referral-connector.js' : '../../bin/referral-connector.js',
    import.meta.url,
  ),
);

export type ConnectorProcess = {
  /** Starts `serve` and resolves once `/healthz` answers. */
  start(): Promise<void>;
  /** SIGKILL: no shutdown hook runs, running syncs and their leases are simply abandoned. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the graceful exit (SIGKILL after `deadlineMs`). */
  stop(deadlineMs?: number): Promise<void>;
  readonly port: number;
  /** The running process's id, while it runs. */
  readonly pid: number | undefined;
  readonly starts: number;
  readonly kills: number;
};

export type ConnectorProcessOptions = {
  configFile: string;
  /** The child's stdout and stderr are appended here. */
  logFile: string;
  /** `server.port` of the configuration: where `/healthz` is asked. */
  port: number;
  /** The script run with `serve` (default: the launcher, CONNECTOR_BIN). */
  entry?: string;
  /** Environment beyond PATH and HOME (none else is passed: only the file configures the connector). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
};

export function createConnectorProcess(options: ConnectorProcessOptions): ConnectorProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let starts = 0;
  let kills = 0;

  async function waitUntilHealthy(): Promise<void> {
    const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
    for (;;) {
      if (!child || child.exitCode !== null)
        throw new Error(`connector exited at start-up; see ${options.logFile}`);
      try {
        const response = await fetch(`http://127.0.0.1:${options.port}/healthz`);
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`connector not healthy in time; see ${options.logFile}`);
      await sleep(25);
    }
  }

  async function signal(name: 'SIGKILL' | 'SIGTERM', deadlineMs?: number): Promise<void> {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    running.kill(name);
    const timer =
      deadlineMs === undefined ? undefined : setTimeout(() => running.kill('SIGKILL'), deadlineMs);
    await exited;
    clearTimeout(timer);
  }

  return {
    async start() {
      const log = openSync(options.logFile, 'a');
      const spawned = spawn(
        process.execPath,
        [options.entry ?? CONNECTOR_BIN, 'serve', '--config', options.configFile],
        {
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
          stdio: ['ignore', log, log],
        },
      );
      closeSync(log);
      child = spawned;
      exited = new Promise((resolve) => spawned.once('exit', () => resolve()));
      starts += 1;
      await waitUntilHealthy();
    },
    async kill() {
      kills += 1;
      await signal('SIGKILL');
    },
    stop: (deadlineMs = 20_000) => signal('SIGTERM', deadlineMs),
    port: options.port,
    get pid() {
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    get starts() {
      return starts;
    },
    get kills() {
      return kills;
    },
  };
}
