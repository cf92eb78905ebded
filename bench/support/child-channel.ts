/**
 * A forked child process spoken to over IPC with `{ type, ... }` messages: wait for the next message of
 * a type, or listen to every one. The benchmark keeps its load generator, bare server and connector in
 * processes of their own so that none of them steals the others' event loop.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { openSync } from 'node:fs';

export type Message = { type: string };

export type ChildChannel<In extends Message, Out extends Message> = {
  readonly child: ChildProcess;
  /** When `fork` was called (performance.now of this process). */
  readonly spawnedAt: number;
  send(message: In): void;
  next<T extends Out['type']>(type: T, timeoutMs?: number): Promise<Extract<Out, { type: T }>>;
  on<T extends Out['type']>(type: T, listener: (message: Extract<Out, { type: T }>) => void): void;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  kill(): void;
};

export type ForkOptions = {
  env?: Record<string, string>;
  execArgv?: string[];
  /** stdout and stderr of the child go to this file (appended); discarded when absent. */
  logFile?: string;
};

const live = new Set<ChildProcess>();
const killAll = () => {
  for (const child of live) child.kill('SIGKILL');
};
process.once('exit', killAll);
// An interrupted run must not leave connectors behind ('exit' does not run on a signal).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

export function forkChild<In extends Message, Out extends Message>(
  modulePath: string,
  options: ForkOptions = {},
): ChildChannel<In, Out> {
  const output = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const spawnedAt = performance.now();
  const child = fork(modulePath, [], {
    env: { ...process.env, ...options.env },
    execArgv: options.execArgv ?? [],
    stdio: ['ignore', output, output, 'ipc'],
    serialization: 'advanced',
  });
  live.add(child);
  const queued = new Map<string, Message[]>();
  const waiters = new Map<string, Array<(message: Message) => void>>();
  const listeners = new Map<string, Array<(message: Message) => void>>();
  let exitCode: number | null | undefined;

  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      exitCode = code;
      resolve(code);
    });
  });

  child.on('message', (raw) => {
    const message = raw as Message;
    for (const listener of listeners.get(message.type) ?? []) listener(message);
    const waiting = waiters.get(message.type);
    const wake = waiting?.shift();
    if (wake) return wake(message);
    if (listeners.has(message.type)) return;
    const list = queued.get(message.type) ?? [];
    list.push(message);
    queued.set(message.type, list);
  });

  return {
    child,
    spawnedAt,
    send(message) {
      child.send(message);
    },
    next(type, timeoutMs = 120_000) {
      const early = queued.get(type)?.shift();
      if (early) return Promise.resolve(early as never);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`${modulePath}: no '${type}' message within ${timeoutMs} ms`));
        }, timeoutMs);
        timer.unref();
        const failed = (code: number | null) =>
          reject(new Error(`${modulePath} exited (code ${code}) while waiting for '${type}'`));
        if (exitCode !== undefined) return failed(exitCode);
        void exited.then((code) => {
          clearTimeout(timer);
          failed(code);
        });
        const list = waiters.get(type) ?? [];
        list.push((message) => {
          clearTimeout(timer);
          resolve(message as never);
        });
        waiters.set(type, list);
      });
    },
    on(type, listener) {
      const list = listeners.get(type) ?? [];
      list.push(listener as (message: Message) => void);
      listeners.set(type, list);
    },
    exited,
    kill() {
      child.kill('SIGKILL');
    },
  };
}
