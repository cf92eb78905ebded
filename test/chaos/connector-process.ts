/**
 * The connector as a real child process (`node src/main.ts serve --config <file>`), so the chaos suite can
 * SIGKILL it mid-run and start it again on the same data directory and port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type ConnectorProcess = {
  /** Starts `serve` and resolves once `/healthz` answers. */
  start(): Promise<void>;
  /** SIGKILL: no shutdown hook runs, running syncs and their leases are simply abandoned. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the graceful exit (SIGKILL after `deadlineMs`). */
  stop(deadlineMs?: number): Promise<void>;
  readonly starts: number;
  readonly kills: number;
};

export function createConnectorProcess(options: {
  configFile: string;
  /** The child's stdout and stderr are appended here. */
  logFile: string;
  port: number;
  readyTimeoutMs?: number;
}): ConnectorProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let starts = 0;
  let kills = 0;

  async function waitUntilHealthy(): Promise<void> {
    const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
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
      const spawned = spawn(process.execPath, ['src/main.ts', 'serve', '--config', options.configFile], {
        cwd: REPO_ROOT,
        // Nothing of the test's environment may configure the connector: only the file does.
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
        stdio: ['ignore', log, log],
      });
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
    get starts() {
      return starts;
    },
    get kills() {
      return kills;
    },
  };
}
