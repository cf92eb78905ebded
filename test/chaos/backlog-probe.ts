/**
 * What is still in flight, read from the outside: events the dispatcher has not finished (pending or held
 * back) and jobs in the connector's store that are pending or running.
 */
import type { EmulatorWorld } from '@referral-connector/emulators';
import type { ChaosStore } from './chaos-store.ts';

export type BacklogProbe = {
  /** Nothing left to deliver and no job pending or running. */
  settled(): Promise<boolean>;
  /** For a timeout message: what is left, and running jobs nobody will settle. */
  describe(): Promise<string>;
};

export function createBacklogProbe(world: EmulatorWorld, store: ChaosStore): BacklogProbe {
  const undelivered = () =>
    world.webhooks.deliveries().filter((d) => d.outcome === 'pending' || d.outcome === 'held').length;
  return {
    settled: async () => undelivered() === 0 && (await store.unfinishedJobs()) === 0,
    describe: async () => `undelivered events ${undelivered()}; ${await store.describeJobs()}`,
  };
}
