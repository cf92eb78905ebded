/**
 * `instance.kill=K` carried out: during the run, K times, one instance (each in turn) is SIGKILLed and
 * started again a second later, when the next share of the referrals has its lead (`killThreshold`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectorFleet } from './connector-fleet.ts';
import { killThreshold } from './instance-faults.ts';

export type InstanceKills = {
  /** Kills are still to come, or an instance is still restarting. */
  busy(): boolean;
  /** Ends the schedule (the run is over) and resolves once no kill or restart is under way. */
  stop(): Promise<void>;
  /** The first failure (an instance that would not start again), if any. */
  readonly failure: Error | undefined;
  readonly done: number;
};

export const RESTART_AFTER_MS = 1_000;

export function startInstanceKills(
  fleet: ConnectorFleet,
  plan: { kills: number; referrals: number; leads: () => number; onKill?: (line: string) => void },
): InstanceKills {
  let stopped = false;
  let done = 0;
  let failure: Error | undefined;
  const run = (async () => {
    for (let k = 1; k <= plan.kills && !stopped; k++) {
      while (!stopped && plan.leads() < killThreshold(k, plan.kills, plan.referrals)) await sleep(50);
      if (stopped) return;
      const instance = fleet.instances[(k - 1) % fleet.instances.length];
      if (!instance) return;
      plan.onKill?.(`SIGKILL instance ${instance.number} (${plan.leads()} leads so far); restart in 1 s`);
      await fleet.killAndRestart(instance, RESTART_AFTER_MS);
      done += 1;
    }
  })().catch((error: unknown) => {
    failure = error instanceof Error ? error : new Error(String(error));
  });
  return {
    busy: () => failure === undefined && done < plan.kills,
    async stop() {
      stopped = true;
      await run;
    },
    get failure() {
      return failure;
    },
    get done() {
      return done;
    },
  };
}
