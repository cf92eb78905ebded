/** Waiting for the world and the connector to have nothing left to do. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorWorld } from '@referral-connector/emulators';
import type { ConnectorChild } from './connector-child.ts';

/**
 * Resolves once Partner Center has nothing left to deliver and the connector has no job pending or
 * running, twice in a row a short while apart (a sync's write-back makes a new event). Returns false
 * when `timeoutMs` passes first.
 */
export async function waitSettled(
  world: EmulatorWorld,
  connector: ConnectorChild,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let quietChecks = 0;
  while (Date.now() < deadline) {
    const timeout = new AbortController();
    const idle = await Promise.race([
      world.webhooks.idle().then(() => true),
      sleep(Math.max(0, deadline - Date.now()), false, { signal: timeout.signal }).catch(() => false),
    ]);
    timeout.abort();
    if (!idle) return false;
    const { queue } = await connector.stats();
    quietChecks = queue.pending === 0 && queue.running === 0 ? quietChecks + 1 : 0;
    if (quietChecks >= 2) return true;
    await sleep(quietChecks > 0 ? 150 : 50);
  }
  return false;
}

/** Calls `act(i)` `count` times at a steady `perSecond`, catching up after timer slack; resolves when done. */
export async function atSteadyRate(
  count: number,
  perSecond: number,
  act: (index: number) => void,
): Promise<{ elapsedMs: number }> {
  const started = performance.now();
  let done = 0;
  while (done < count) {
    const due = Math.min(count, Math.floor(((performance.now() - started) * perSecond) / 1000) + 1);
    while (done < due) act(done++);
    if (done < count) await sleep(Math.max(1, (done * 1000) / perSecond - (performance.now() - started)));
  }
  return { elapsedMs: performance.now() - started };
}
