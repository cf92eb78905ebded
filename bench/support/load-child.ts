/** Runs one plan in a fresh `load-generator.ts` process and returns its figures. */
import { fileURLToPath } from 'node:url';
import { forkChild } from './child-channel.ts';
import type { FromLoad, LoadPlan, LoadResult, ToLoad } from './load-protocol.ts';

const LOAD_GENERATOR = fileURLToPath(new URL('../load-generator.ts', import.meta.url));

export type LoadRun = {
  /** Resolves once the requests are read and sending is about to start. */
  started: Promise<void>;
  result: Promise<LoadResult>;
};

export function runLoad(plan: LoadPlan, timeoutMs = 300_000): LoadRun {
  const channel = forkChild<ToLoad, FromLoad>(LOAD_GENERATOR);
  channel.send({ type: 'run', plan });
  const started = channel.next('loaded', 60_000).then(() => undefined);
  const result = channel.next('result', timeoutMs).then(async (message) => {
    await channel.exited;
    return message.result;
  });
  return { started, result };
}

/** The bare `node:http` server, in its own process. */
export async function startBareServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const channel = forkChild<{ type: 'stop' }, { type: 'ready'; url: string }>(
    fileURLToPath(new URL('../bare-server.ts', import.meta.url)),
  );
  const { url } = await channel.next('ready', 30_000);
  return {
    url,
    async stop() {
      channel.send({ type: 'stop' });
      await channel.exited;
    },
  };
}
